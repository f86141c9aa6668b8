package io.twinpath.host.internal;

import io.twinpath.core.smtp.SmtpSender;
import io.twinpath.core.smtp.SmtpSettings;
import io.twinpath.host.internal.config.Account;
import io.twinpath.host.internal.config.ConfigException;
import java.io.IOException;
import java.util.Arrays;

/** This laptop's own SMTP path, made from its {@code account} block. */
public final class SmtpPath {
  private SmtpPath() {}

  /**
   * The sender for an account. A password command runs once, now (as msmtp does at each start): a
   * failing command stops the daemon with a clear message rather than sending wrong credentials
   * that a server would refuse for good.
   *
   * @throws ConfigException when the password command fails or a value is refused
   */
  public static SmtpSender sender(Account account, String ehloName) throws ConfigException {
    SmtpSettings.Builder b =
        SmtpSettings.builder()
            .host(account.host())
            .port(account.port())
            .tls(account.tls())
            .connectTimeout(account.timeout())
            .readTimeout(account.timeout().multipliedBy(2))
            .writeTimeout(account.timeout().multipliedBy(2));
    try {
      b.ehloName(ehloName);
    } catch (IllegalArgumentException e) {
      // keep the default name
    }
    if (account.user() != null) {
      char[] password = new char[0];
      if (account.password() != null) {
        try {
          password = account.password().reveal();
        } catch (IOException e) {
          throw new ConfigException("account '" + account.name() + "': " + e.getMessage(), e);
        }
      }
      char[] kept = password;
      b.credentials(account.user(), () -> Arrays.copyOf(kept, kept.length));
    }
    try {
      return SmtpSender.create(b.build());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          "account '" + account.name() + "' (" + account.origin() + "): " + e.getMessage(), e);
    }
  }
}
