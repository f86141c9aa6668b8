package io.twinpath.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMembers;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.util.regex.Pattern;

/**
 * Only the hardware layer ({@code io.twinpath.hw..}) and the modem simulator name a modem vendor:
 * elsewhere no class is named after one, declares a field or method named after one, uses a
 * vendor's dialect class, or reaches a vendor-named member of {@code hw} such as {@code
 * ModemDialect.SIM7600} (a {@code switch} over the dialect reads those constants too). The rest of
 * the product asks the dialect for what differs.
 */
@AnalyzeClasses(packages = Modules.ROOT, importOptions = ImportOption.DoNotIncludeTests.class)
class VendorsStayInHwTest {
  private static final Pattern VENDOR =
      Pattern.compile("(?i).*(sim7600|simcom|ec25|eg25|quectel).*");

  private static final String[] VENDOR_AWARE = {Modules.HW, Modules.MODEM_SIM};

  @ArchTest
  static final ArchRule NO_CLASS_NAMED_AFTER_A_VENDOR =
      noClasses()
          .that()
          .resideOutsideOfPackages(VENDOR_AWARE)
          .should()
          .haveNameMatching(VENDOR.pattern());

  @ArchTest
  static final ArchRule NO_MEMBER_NAMED_AFTER_A_VENDOR =
      noMembers()
          .that()
          .areDeclaredInClassesThat(outsideHw())
          .should()
          .haveNameMatching(VENDOR.pattern());

  @ArchTest
  static final ArchRule NO_USE_OF_A_VENDOR_CLASS_OR_CONSTANT =
      noClasses()
          .that(outsideHw())
          .should()
          .dependOnClassesThat(namedAfterAVendorInHw())
          .orShould()
          .accessTargetWhere(vendorMemberOfHw());

  private static DescribedPredicate<JavaClass> outsideHw() {
    return DescribedPredicate.describe(
        "reside outside io.twinpath.hw.. and io.twinpath.modemsim..",
        c ->
            !c.getPackageName().startsWith("io.twinpath.hw")
                && !c.getPackageName().startsWith("io.twinpath.modemsim"));
  }

  private static DescribedPredicate<JavaClass> namedAfterAVendorInHw() {
    return DescribedPredicate.describe(
        "are vendor classes of io.twinpath.hw..",
        c ->
            c.getPackageName().startsWith("io.twinpath.hw")
                && VENDOR.matcher(c.getName()).matches());
  }

  private static DescribedPredicate<JavaAccess<?>> vendorMemberOfHw() {
    return DescribedPredicate.describe(
        "the target is a vendor-named member of io.twinpath.hw..",
        a ->
            a.getTargetOwner().getPackageName().startsWith("io.twinpath.hw")
                && VENDOR.matcher(a.getTarget().getName()).matches());
  }
}
