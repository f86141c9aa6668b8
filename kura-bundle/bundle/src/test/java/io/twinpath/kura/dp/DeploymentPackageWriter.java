package io.twinpath.kura.dp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Writes an OSGi deployment package ({@code .dp}) as Kura's System → Packages installs it: a JAR
 * whose first entry is {@code META-INF/MANIFEST.MF} with {@code DeploymentPackage-SymbolicName},
 * {@code DeploymentPackage-Version} and one {@code Name:} section per bundle carrying that bundle's
 * own {@code Bundle-SymbolicName} and {@code Bundle-Version}, followed by the bundles. The package
 * takes the version of the first bundle.
 *
 * <p>Run by the build: {@code DeploymentPackageWriter <dp-symbolic-name> <out.dp> <bundle.jar>...}
 */
public final class DeploymentPackageWriter {
  private DeploymentPackageWriter() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 3) {
      throw new IllegalArgumentException(
          "usage: DeploymentPackageWriter <dp-symbolic-name> <out.dp> <bundle.jar>...");
    }
    List<Path> bundles = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      bundles.add(Path.of(args[i]));
    }
    write(args[0], Path.of(args[1]), bundles);
  }

  /** One bundle in a deployment package: where it is, and what its manifest says. */
  public record BundleEntry(Path file, String symbolicName, String version) {
    public String entryName() {
      return "bundles/" + symbolicName + "_" + version + ".jar";
    }
  }

  /** Reads a bundle's identity from its manifest. */
  public static BundleEntry bundle(Path jar) throws IOException {
    try (JarFile f = new JarFile(jar.toFile())) {
      Manifest m = f.getManifest();
      Attributes a = m == null ? new Attributes() : m.getMainAttributes();
      String bsn = a.getValue("Bundle-SymbolicName");
      String version = a.getValue("Bundle-Version");
      if (bsn == null || version == null) {
        throw new IOException(
            jar + " is not an OSGi bundle (no Bundle-SymbolicName or Bundle-Version)");
      }
      int semicolon = bsn.indexOf(';');
      return new BundleEntry(
          jar, (semicolon < 0 ? bsn : bsn.substring(0, semicolon)).strip(), version);
    }
  }

  /** Writes {@code out} atomically (a temporary file renamed into place). */
  public static void write(String symbolicName, Path out, List<Path> bundleJars)
      throws IOException {
    List<BundleEntry> bundles = new ArrayList<>();
    for (Path jar : bundleJars) {
      bundles.add(bundle(jar));
    }
    Manifest manifest = new Manifest();
    Attributes main = manifest.getMainAttributes();
    main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    main.putValue("DeploymentPackage-SymbolicName", symbolicName);
    main.putValue("DeploymentPackage-Version", bundles.get(0).version());
    main.putValue("DeploymentPackage-Name", "Twinpath secondary");
    main.putValue(
        "DeploymentPackage-Description",
        "Twinpath: the laptop's mail leaves over this gateway's cellular modem when the laptop's"
            + " own network fails.");
    for (BundleEntry b : bundles) {
      Attributes section = new Attributes();
      section.putValue("Bundle-SymbolicName", b.symbolicName());
      section.putValue("Bundle-Version", b.version());
      manifest.getEntries().put(b.entryName(), section);
    }
    Path dir = out.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".dp-", ".tmp");
    try {
      // JarOutputStream writes the manifest as the first entry, as deployment admins require
      try (OutputStream os = Files.newOutputStream(tmp);
          JarOutputStream jar = new JarOutputStream(os, manifest)) {
        for (BundleEntry b : bundles) {
          jar.putNextEntry(new JarEntry(b.entryName()));
          try (InputStream in = Files.newInputStream(b.file())) {
            in.transferTo(jar);
          }
          jar.closeEntry();
        }
      }
      Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
