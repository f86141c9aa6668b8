package io.twinpath.kura;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;

/** The manifest bnd generates: what Kura's framework will see. */
class BundleManifestTest {
  private static Attributes manifest() throws Exception {
    Path mf = Path.of("target/classes/META-INF/MANIFEST.MF");
    assertThat(mf).as("bnd writes the manifest during process-classes").exists();
    try (InputStream in = Files.newInputStream(mf)) {
      return new Manifest(in).getMainAttributes();
    }
  }

  @Test
  void exportsOnlyTheApiPackage() throws Exception {
    String exports = manifest().getValue("Export-Package");
    assertThat(exports).startsWith("io.twinpath.kura;").doesNotContain(",");
    assertThat(manifest().getValue("Bundle-SymbolicName")).isEqualTo("io.twinpath.kura");
  }

  @Test
  void importsTheKuraApiAndSlf4jWithTheRangesKuraSatisfies() throws Exception {
    String imports = manifest().getValue("Import-Package");
    assertThat(imports)
        .contains("org.eclipse.kura;version=\"[1.6,2.0)\"")
        .contains("org.eclipse.kura.configuration;version=\"[1.2,2.0)\"")
        .contains("org.eclipse.kura.crypto;version=\"[1.3,2.0)\"")
        .contains("org.slf4j;version=\"[1.7,2)\"");
    // Kura exports none of these: they travel inside the bundle
    assertThat(imports)
        .doesNotContain("org.eclipse.paho")
        .doesNotContain("jakarta.mail")
        .doesNotContain("jakarta.activation")
        .doesNotContain("com.google.gson")
        .doesNotContain("com.fazecast")
        .doesNotContain("io.twinpath");
    assertThat(manifest().getValue("Bundle-ClassPath"))
        .startsWith(".,")
        .contains("lib/org.eclipse.paho.client.mqttv3.jar")
        .contains("lib/angus-mail.jar")
        .contains("lib/jSerialComm.jar");
    assertThat(manifest().getValue("Service-Component"))
        .isEqualTo("OSGI-INF/" + TwinpathKura.PID + ".xml");
  }
}
