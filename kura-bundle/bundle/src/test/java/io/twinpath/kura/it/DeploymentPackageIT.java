package io.twinpath.kura.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

/** The .dp file the build writes, read the way a deployment admin reads it. */
class DeploymentPackageIT {
  private static final Path DP = Path.of(System.getProperty("twinpath.dp", "missing.dp"));

  @Test
  void manifestComesFirstAndNamesEveryBundleWithItsOwnIdentity() throws Exception {
    try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(DP))) {
      ZipEntry first = zip.getNextEntry();
      if (first != null && first.getName().equals("META-INF/")) {
        first = zip.getNextEntry();
      }
      assertThat(first).isNotNull();
      assertThat(first.getName()).isEqualTo("META-INF/MANIFEST.MF");
    }
    try (JarInputStream jar = new JarInputStream(Files.newInputStream(DP))) {
      Manifest m = jar.getManifest();
      assertThat(m).isNotNull();
      Attributes main = m.getMainAttributes();
      assertThat(main.getValue("DeploymentPackage-SymbolicName")).isEqualTo("io.twinpath.kura.dp");
      assertThat(main.getValue("DeploymentPackage-Version")).matches("\\d+\\.\\d+\\.\\d+(\\..+)?");
      List<String> names = new ArrayList<>();
      for (JarEntry e = jar.getNextJarEntry(); e != null; e = jar.getNextJarEntry()) {
        names.add(e.getName());
        Attributes section = m.getEntries().get(e.getName());
        assertThat(section).as("manifest section for " + e.getName()).isNotNull();
        Attributes bundle =
            new JarInputStream(new NonClosing(jar)).getManifest().getMainAttributes();
        assertThat(section.getValue("Bundle-SymbolicName"))
            .isEqualTo(bundle.getValue("Bundle-SymbolicName"));
        assertThat(section.getValue("Bundle-Version")).isEqualTo(bundle.getValue("Bundle-Version"));
        assertThat(main.getValue("DeploymentPackage-Version"))
            .isEqualTo(bundle.getValue("Bundle-Version"));
      }
      assertThat(names).containsExactlyInAnyOrderElementsOf(m.getEntries().keySet());
      assertThat(names).hasSize(1);
    }
  }

  @Test
  void theBundleCarriesItsLibrariesButNoKuraApiStandIn() throws Exception {
    List<String> entries = new ArrayList<>();
    try (JarInputStream dp = new JarInputStream(Files.newInputStream(DP))) {
      assertThat(dp.getNextJarEntry()).isNotNull();
      try (JarInputStream bundle = new JarInputStream(new NonClosing(dp))) {
        for (JarEntry e = bundle.getNextJarEntry(); e != null; e = bundle.getNextJarEntry()) {
          entries.add(e.getName());
        }
      }
    }
    assertThat(entries)
        .contains(
            "OSGI-INF/io.twinpath.kura.Secondary.xml",
            "OSGI-INF/metatype/io.twinpath.kura.Secondary.xml",
            "lib/org.eclipse.paho.client.mqttv3.jar",
            "lib/jakarta.mail-api.jar",
            "lib/angus-mail.jar",
            "lib/gson.jar",
            "lib/jSerialComm.jar",
            "io/twinpath/kura/internal/SecondaryComponent.class",
            "io/twinpath/core/DeviceId.class");
    assertThat(entries).noneMatch(n -> n.startsWith("org/eclipse/kura/"));
    assertThat(entries).noneMatch(n -> n.startsWith("org/slf4j/"));
    assertThat(entries).noneMatch(n -> n.contains("StandInCrypto"));
  }

  @Test
  void twinpathCodeCallsOnlyTheSlf4jApiKuraShips() throws Exception {
    // Kura exports SLF4J 1.7: the fluent API of 2.x (LoggingEventBuilder) would fail at run time
    byte[] fluent = "org/slf4j/spi/LoggingEventBuilder".getBytes(StandardCharsets.US_ASCII);
    List<String> offenders = new ArrayList<>();
    int classes = 0;
    try (JarInputStream dp = new JarInputStream(Files.newInputStream(DP))) {
      assertThat(dp.getNextJarEntry()).isNotNull();
      try (JarInputStream bundle = new JarInputStream(new NonClosing(dp))) {
        for (JarEntry e = bundle.getNextJarEntry(); e != null; e = bundle.getNextJarEntry()) {
          if (e.getName().startsWith("io/twinpath/") && e.getName().endsWith(".class")) {
            classes++;
            if (contains(bundle.readAllBytes(), fluent)) {
              offenders.add(e.getName());
            }
          }
        }
      }
    }
    assertThat(classes).isGreaterThan(50);
    assertThat(offenders).isEmpty();
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  /** Lets a nested jar be read without closing the outer stream. */
  private static final class NonClosing extends java.io.FilterInputStream {
    NonClosing(InputStream in) {
      super(in);
    }

    @Override
    public void close() {}
  }
}
