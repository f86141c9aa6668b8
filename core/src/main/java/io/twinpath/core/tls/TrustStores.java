package io.twinpath.core.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;

/**
 * Socket factories that validate certificates against a configured trust store, or the JDK's
 * default trust when none is given. There is deliberately no way to trust everything.
 */
public final class TrustStores {
  private TrustStores() {}

  /**
   * A TLS socket factory trusting the certificates in {@code file} (PKCS12 or JKS), or the JDK's
   * default trust when {@code file} is null.
   *
   * @param key the setting's name, used in error messages
   * @throws IllegalArgumentException naming the setting and the file when it is unreadable, cannot
   *     be opened with the password, or holds no certificate
   */
  public static SSLSocketFactory socketFactory(
      String key, @Nullable Path file, char @Nullable [] password) {
    KeyStore ks = file == null ? null : load(key, file, password);
    try {
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx.getSocketFactory();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot set up TLS: " + e.getMessage(), e);
    }
  }

  private static KeyStore load(String key, Path file, char @Nullable [] password) {
    if (!Files.isReadable(file)) {
      throw new IllegalArgumentException(key + " '" + file + "' is not a readable file");
    }
    KeyStore ks;
    try {
      ks = KeyStore.getInstance(file.toFile(), password == null ? new char[0] : password);
      if (ks.size() == 0) {
        throw new IllegalArgumentException(
            key + " '" + file + "' holds no certificate; nothing would be trusted");
      }
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          key
              + " '"
              + file
              + "' cannot be read as PKCS12 or JKS with the given password: "
              + e.getMessage(),
          e);
    }
    return ks;
  }
}
