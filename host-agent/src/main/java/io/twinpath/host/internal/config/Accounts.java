package io.twinpath.host.internal.config;

import io.twinpath.core.config.Secret;
import io.twinpath.core.config.Setting;
import io.twinpath.core.config.SettingException;
import io.twinpath.core.smtp.SmtpSettings;
import io.twinpath.core.smtp.SmtpSettings.TlsMode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The account blocks: what each inherits (the {@code defaults} block, then its parents in order,
 * then its own lines; later ones win) and the {@link Account} each makes.
 */
final class Accounts {
  private final HostKeys keys;
  private final MsmtpReader.Blocks blocks;

  Accounts(HostKeys keys, MsmtpReader.Blocks blocks) {
    this.keys = keys;
    this.blocks = blocks;
  }

  /** An account's values with everything it inherits. */
  KeyValues resolve(Block account) {
    return new KeyValues(lines(account), account.source);
  }

  private Map<String, Block.Entry> lines(Block b) {
    Map<String, Block.Entry> out = new LinkedHashMap<>();
    overlay(out, blocks.defaults().values());
    for (String parent : b.parents) {
      Block p =
          Objects.requireNonNull(
              blocks.accounts().get(parent), () -> "account '" + parent + "' was checked above");
      overlay(out, new KeyValues(lines(p), b.source));
    }
    overlay(out, b.values());
    return out;
  }

  /** Later lines win; a password given one way replaces one given another way. */
  private void overlay(Map<String, Block.Entry> into, KeyValues from) {
    for (List<Setting<String>> group : keys.passwordGroups) {
      if (group.stream().anyMatch(from::has)) {
        group.forEach(s -> into.remove(s.key()));
      }
    }
    for (Block.Entry e : from.entries()) {
      into.put(e.key(), e);
    }
  }

  /**
   * The account block {@code b} makes.
   *
   * @throws SettingException when it lacks a host, has TLS off for a remote host, or a password
   *     without a user
   */
  Account account(Block b) {
    KeyValues k = resolve(b);
    String host = k.find(keys.host);
    if (host == null) {
      throw k.missing(
          keys.host,
          "account '"
              + b.name
              + "' has no 'host'; add a line like 'host smtp.example.org' below it");
    }
    TlsMode tls = k.get(keys.tls);
    Integer port = k.find(keys.port);
    if (tls == TlsMode.NONE && !HostValues.isLoopback(host)) {
      throw k.reject(
          keys.tls,
          "with host "
              + host
              + ", mail and password would cross the network in clear; TLS can be off only for a"
              + " server on this machine (localhost, 127.0.0.1, ::1); use starttls or on");
    }
    String user = k.find(keys.user);
    Secret password = password(k);
    if (password != null && user == null) {
      throw k.missing(
          keys.user,
          "account '"
              + b.name
              + "' has a password but no 'user'; add 'user NAME' (the login) or remove the"
              + " password");
    }
    Duration timeout = k.get(keys.timeout);
    return new Account(
        b.name,
        b.source,
        host,
        port != null ? port : SmtpSettings.defaultPort(tls),
        tls,
        user,
        password,
        k.find(keys.from),
        timeout);
  }

  private @Nullable Secret password(KeyValues k) {
    Block.Entry pw = k.entry(keys.password);
    if (pw != null) {
      return Secret.literal(pw.text().toCharArray(), pw.source());
    }
    for (Setting<String> s : List.of(keys.passwordEval, keys.passwordCommand)) {
      Block.Entry e = k.entry(s);
      if (e != null) {
        return Secret.command(e.text(), e.source());
      }
    }
    return null;
  }
}
