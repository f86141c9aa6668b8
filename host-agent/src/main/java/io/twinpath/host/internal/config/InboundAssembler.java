package io.twinpath.host.internal.config;

import io.twinpath.core.config.Secret;
import io.twinpath.core.config.SettingException;
import io.twinpath.core.inbound.FetchSettings;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** Makes the {@link InboundAccount} from {@code inbound} and the {@code inbound_*} keys. */
final class InboundAssembler {
  private final HostKeys keys;
  private final KeyValues k;

  InboundAssembler(HostKeys keys, KeyValues twinpath) {
    this.keys = keys;
    this.k = twinpath;
  }

  /**
   * The mailbox, or null when {@code inbound} is off or unset.
   *
   * @param account the chosen SMTP account, whose login and password are the defaults
   * @throws SettingException when the keys do not make a usable mailbox
   */
  @Nullable InboundAccount inbound(@Nullable Account account) {
    String protocol = k.get(keys.inbound);
    Block.Entry on = k.entry(keys.inbound);
    if (on == null || protocol.equals("off")) {
      for (Block.Entry l : k.entries()) {
        if (l.key().startsWith("inbound_") && l.setting() != keys.inboundRetention) {
          throw l.reject(
              "it is used only with 'inbound imap' or 'inbound pop3'; add one or remove it");
        }
      }
      return null;
    }
    String host = k.find(keys.inboundHost);
    if (host == null) {
      throw missing(
          keys.inboundHost.key(),
          on,
          "'inbound "
              + protocol
              + "' needs the mail server; add a line like 'inbound_host imap.example.org'");
    }
    String tlsMode = k.get(keys.inboundTls);
    boolean tls = tlsMode.equals("on");
    if (tlsMode.equals("off") && !HostValues.isLoopback(host)) {
      throw k.reject(
          keys.inboundTls,
          "TLS can be off only for a server on this machine (localhost, 127.0.0.1, ::1), or"
              + " mail and password would cross the network in clear; use on or starttls");
    }
    boolean imap = protocol.equals("imap");
    FetchSettings.Protocol p =
        imap
            ? (tls ? FetchSettings.Protocol.IMAPS : FetchSettings.Protocol.IMAP)
            : (tls ? FetchSettings.Protocol.POP3S : FetchSettings.Protocol.POP3);
    Integer port = k.find(keys.inboundPort);
    String user = k.find(keys.inboundUser);
    if (user == null && account != null) {
      user = account.user();
    }
    if (user == null) {
      throw missing(
          keys.inboundUser.key(),
          on,
          "'inbound "
              + protocol
              + "' needs a login; add 'inbound_user NAME' (the SMTP account's user is used when"
              + " it has one)");
    }
    Secret password =
        HostConfigAssembler.secret(
            k.entry(keys.inboundPassword), k.entry(keys.inboundPasswordEval));
    if (password == null && account != null) {
      password = account.password();
    }
    boolean delete = k.get(keys.inboundDelete);
    if (delete && imap) {
      throw k.reject(
          keys.inboundDelete,
          "it is for pop3 only; IMAP mail stays on the server (write off or remove it)");
    }
    Block.Entry folder = k.entry(keys.inboundFolder);
    if (folder != null && !imap) {
      throw folder.reject("it is for imap only; POP3 has one mailbox (remove it)");
    }
    Duration poll = k.get(keys.inboundPoll);
    Duration timeout = account == null ? Duration.ofSeconds(30) : account.timeout();
    return new InboundAccount(
        p,
        tlsMode.equals("starttls"),
        host,
        port != null ? port : p.defaultPort(),
        user,
        password,
        k.get(keys.inboundFolder),
        delete,
        poll,
        timeout,
        on.source());
  }

  private static SettingException missing(String key, Block.Entry at, String accepted) {
    return SettingException.missing(key, accepted).at(at.source());
  }
}
