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
      keyPair(
          store,
          KEY_PASSWORD.toCharArray(),
          "server",
          "localhost",
          "ip:127.0.0.1,dns:localhost,dns:mail.twinpath.invalid");
      t =
          trustStore(
              store,
              KEY_PASSWORD.toCharArray(),
              "server",
              dir.resolve("trust.p12"),
              TRUST_PASSWORD.toCharArray());
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
    }
  }

  /**
   * Makes an EC (P-256) key pair and its self-signed certificate, valid two days, for {@code
   * commonName} and the subject alternative names {@code san} (keytool's form: {@code
   * dns:localhost,ip:127.0.0.1}), in a new PKCS12 key store under {@code alias}, with the JDK's
   * keytool.
   */
  public static void keyPair(
      Path store, char[] password, String alias, String commonName, String san) {
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
            new String(password),
            "-alias",
            alias,
            "-keyalg",
            "EC",
            "-groupname",
            "secp256r1",
            "-dname",
            "CN=" + commonName,
            "-ext",
            "san=" + san,
            "-validity",
            "2"));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Writes {@code out}: a PKCS12 trust store (password {@code trustPassword}) holding only the
   * certificate stored under {@code alias} in {@code keyStore}; returns {@code out}.
   */
  public static Path trustStore(
      Path keyStore, char[] keyPassword, String alias, Path out, char[] trustPassword) {
    try {
      KeyStore ks = KeyStore.getInstance(keyStore.toFile(), keyPassword);
      KeyStore ts = KeyStore.getInstance("PKCS12");
      ts.load(null, null);
      ts.setCertificateEntry(alias, ks.getCertificate(alias));
      try (OutputStream o = Files.newOutputStream(out)) {
        ts.store(o, trustPassword);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
