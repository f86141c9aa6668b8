package io.twinpath.host.internal.config;

/** How the host's SMTP connection is protected ({@code tls} in an account block). */
public enum TlsMode {
  /** Plain connection upgraded with STARTTLS (usually port 587). The default. */
  STARTTLS("starttls", 587),
  /** TLS from the first byte, "SMTPS" (usually port 465). */
  ON("on", 465),
  /** No TLS at all; only for a server on this machine or a trusted network. */
  OFF("off", 25);

  private final String word;
  private final int defaultPort;

  TlsMode(String word, int defaultPort) {
    this.word = word;
    this.defaultPort = defaultPort;
  }

  /** The word used in the config file. */
  public String word() {
    return word;
  }

  /** The port used when the account has no {@code port}. */
  public int defaultPort() {
    return defaultPort;
  }
}
