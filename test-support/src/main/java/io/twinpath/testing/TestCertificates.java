package io.twinpath.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One server certificate per test JVM (made with the JDK's keytool) for {@code 127.0.0.1}, {@code
 * localhost} and {@code mail.twinpath.invalid}, and a PKCS12 trust store holding it. GreenMail's
 * TLS servers (IMAPS, POP3S, SMTPS) are pointed at it through their system properties: GreenMail
 * reads its key store once per JVM, so every test class in a JVM shares this one.
 */
public final class TestCertificates {
  /** The trust store's password. */
  public static final String TRUST_PASSWORD = "trustpw";

  private static final String KEY_PASSWORD = "keypass";
  private static @Nullable Path trust;

  private TestCertificates() {}

  /** Makes the certificate on first use and points GreenMail at it; returns the trust store. */
  public static synchronized Path greenMailTrustStore() {
    Path t = trust;
    if (t != null) {
      return t;
    }
    try {
      Path dir = Files.createTempDirectory("twinpath-tls");
      Path store = dir.resolve("server.p12");
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
      cmd.addAll(
          List.of(
              "-genkeypair",
              "-keystore",
              store.toString(),
              "-storetype",
              "PKCS12",
              "-storepass",
              KEY_PASSWORD,
              "-alias",
              "server",
              "-keyalg",
              "EC",
              "-groupname",
              "secp256r1",
              "-dname",
              "CN=localhost",
              "-ext",
              "san=ip:127.0.0.1,dns:localhost,dns:mail.twinpath.invalid",
              "-validity",
              "2"));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + out);
      }
      KeyStore ks = KeyStore.getInstance(store.toFile(), KEY_PASSWORD.toCharArray());
      KeyStore ts = KeyStore.getInstance("PKCS12");
      ts.load(null, null);
      ts.setCertificateEntry("server", ks.getCertificate("server"));
      t = dir.resolve("trust.p12");
      try (OutputStream o = Files.newOutputStream(t)) {
        ts.store(o, TRUST_PASSWORD.toCharArray());
      }
      // deleteOnExit removes in reverse order of registration: the files, then their directory
      for (Path f : List.of(dir, store, t)) {
        f.toFile().deleteOnExit();
      }
      System.setProperty("greenmail.tls.keystore.file", store.toString());
      System.setProperty("greenmail.tls.keystore.password", KEY_PASSWORD);
      System.setProperty("greenmail.tls.key.password", KEY_PASSWORD);
      trust = t;
      return t;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
