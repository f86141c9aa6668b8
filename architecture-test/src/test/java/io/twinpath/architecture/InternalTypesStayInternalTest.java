package io.twinpath.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * No type from an {@code ..internal..} package appears in the public signature of a class outside
 * them: the supertypes of a public class, and the parameter, return, thrown and field types
 * (generic arguments included) of its public and protected constructors, methods and fields.
 */
@AnalyzeClasses(packages = Modules.ROOT, importOptions = ImportOption.DoNotIncludeTests.class)
class InternalTypesStayInternalTest {
  @ArchTest
  static final ArchRule NO_INTERNAL_TYPE_IN_A_PUBLIC_SIGNATURE =
      classes()
          .that(areVisibleOutsideTheirPackage())
          .and()
          .resideOutsideOfPackage("..internal..")
          .should(exposeNoInternalType());

  private static DescribedPredicate<JavaClass> areVisibleOutsideTheirPackage() {
    return DescribedPredicate.describe(
        "are public (and so are their enclosing classes)",
        InternalTypesStayInternalTest::visibleOutsideItsPackage);
  }

  private static boolean visibleOutsideItsPackage(JavaClass c) {
    if (!c.getModifiers().contains(JavaModifier.PUBLIC)) {
      return false;
    }
    Optional<JavaClass> outer = c.getEnclosingClass();
    return outer.isEmpty() || visibleOutsideItsPackage(outer.get());
  }

  private static boolean exposed(JavaMember m) {
    return !m.getModifiers().contains(JavaModifier.SYNTHETIC)
        && (m.getModifiers().contains(JavaModifier.PUBLIC)
            || m.getModifiers().contains(JavaModifier.PROTECTED));
  }

  private static ArchCondition<JavaClass> exposeNoInternalType() {
    return new ArchCondition<>("expose no type from an ..internal.. package") {
      @Override
      public void check(JavaClass c, ConditionEvents events) {
        List<String> leaks = new ArrayList<>();
        c.getSuperclass().ifPresent(t -> leak(leaks, t, "extends"));
        c.getInterfaces().forEach(t -> leak(leaks, t, "implements"));
        for (JavaField f : c.getFields()) {
          if (exposed(f)) {
            leak(leaks, f.getType(), "field " + f.getName());
          }
        }
        for (JavaCodeUnit u : c.getCodeUnits()) {
          if (!exposed(u) || u.getModifiers().contains(JavaModifier.BRIDGE)) {
            continue;
          }
          String where = u.isConstructor() ? "constructor" : "method " + u.getName();
          leak(leaks, u.getReturnType(), where + " returns");
          u.getParameterTypes().forEach(t -> leak(leaks, t, where + " takes"));
          u.getThrowsClause().getTypes().forEach(t -> leak(leaks, t, where + " throws"));
        }
        for (String leak : leaks) {
          events.add(SimpleConditionEvent.violated(c, c.getName() + ": " + leak));
        }
      }
    };
  }

  private static void leak(List<String> leaks, JavaType type, String where) {
    for (JavaClass raw : type.getAllInvolvedRawTypes()) {
      if (("." + raw.getPackageName() + ".").contains(".internal.")) {
        leaks.add(where + " " + raw.getName());
      }
    }
  }
}
