package io.twinpath.kura;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;

/** The manifest bnd generates: what Kura's framework will see. */
class BundleManifestTest {
  private static Manifest manifest() throws Exception {
    Path mf = Path.of("target/classes/META-INF/MANIFEST.MF");
    assertThat(mf).as("bnd writes the manifest during process-classes").exists();
    try (InputStream in = Files.newInputStream(mf)) {
      return new Manifest(in);
    }
  }

  @Test
  void exportsOnlyTheApiPackage() throws Exception {
    String exports = manifest().getMainAttributes().getValue("Export-Package");
    assertThat(exports).startsWith("io.twinpath.kura;");
    assertThat(exports).doesNotContain("internal");
    assertThat(manifest().getMainAttributes().getValue("Bundle-SymbolicName"))
        .isEqualTo("io.twinpath.kura");
  }
}
