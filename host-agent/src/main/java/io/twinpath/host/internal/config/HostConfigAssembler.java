package io.twinpath.host.internal.config;

import io.twinpath.core.DeviceId;
import io.twinpath.core.config.Secret;
import io.twinpath.core.config.SettingException;
import io.twinpath.core.config.Values;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Makes the {@link HostConfig} from the parsed blocks: chooses the account, and checks what no
 * single value shows (a peer named twice, {@code backoff_max} below {@code backoff}, a broker
 * password without a user, an inbound mailbox that lacks its server, …).
 */
final class HostConfigAssembler {
  private final HostKeys keys;
  private final MsmtpReader.Blocks blocks;
  private final Accounts accounts;
  private final String fileName;

  HostConfigAssembler(HostKeys keys, MsmtpReader.Blocks blocks, String fileName) {
    this.keys = keys;
    this.blocks = blocks;
    this.accounts = new Accounts(keys, blocks);
    this.fileName = fileName;
  }

  /**
   * @param file the file read, or null for none
   * @throws SettingException for the first setting that cannot be used
   */
  HostConfig build(@Nullable Path file) {
    KeyValues k = blocks.twinpath().values();
    Account account = chooseAccount(k);
    // every account is checked, not only the chosen one, so a typo anywhere is found now
    for (Block b : blocks.accounts().values()) {
      accounts.account(b);
    }

    DeviceId device = k.get(keys.device);
    List<DeviceId> peers = peers(k, device);
    BrokerSettings broker = broker(k);

    Path dataDir = k.has(keys.dataDir) ? k.get(keys.dataDir) : keys.defaultDataDir;
    Path spool = k.has(keys.spool) ? k.get(keys.spool) : dataDir.resolve("spool");
    Duration backoff = k.get(keys.backoff);
    Duration backoffMax = k.get(keys.backoffMax);
    if (backoffMax.compareTo(backoff) < 0) {
      throw k.reject(
          k.has(keys.backoffMax) ? keys.backoffMax : keys.backoff,
          "backoff_max ("
              + Values.formatDuration(backoffMax)
              + ") must be at least backoff ("
              + Values.formatDuration(backoff)
              + ")");
    }
    String domain = k.find(keys.domain);
    if (domain == null) {
      String from = account == null ? null : account.from();
      domain = from != null ? from.substring(from.lastIndexOf('@') + 1) : localHostName();
    }
    InboundAccount inbound = new InboundAssembler(keys, k).inbound(account);
    return new HostConfig(
        file,
        device,
        peers,
        account,
        broker,
        dataDir,
        spool,
        k.get(keys.maildir),
        k.get(keys.listen).orElse(null),
        k.get(keys.sizeLimit),
        k.get(keys.expiry),
        backoff,
        backoffMax,
        k.get(keys.takeoverDelay),
        domain,
        inbound,
        inboundRetention(k, inbound));
  }

  /** The account named in the twinpath block, else the one named default, else the only one. */
  private @Nullable Account chooseAccount(KeyValues k) {
    Map<String, Block> all = blocks.accounts();
    Block.Entry chosen = k.entry(keys.account);
    if (chosen != null) {
      Block b = all.get(k.get(keys.account));
      if (b == null) {
        throw chosen.reject(
            "name one of the accounts defined in this file: "
                + (all.isEmpty() ? "(none)" : String.join(", ", all.keySet())));
      }
      return accounts.account(b);
    }
    if (all.containsKey("default")) {
      return accounts.account(all.get("default"));
    }
    if (all.size() == 1) {
      return accounts.account(all.values().iterator().next());
    }
    if (all.size() > 1) {
      throw SettingException.missing(
              keys.account.key(),
              all.size()
                  + " accounts ("
                  + String.join(", ", all.keySet())
                  + ") and none is chosen; add 'account NAME' to the 'twinpath' block or define"
                  + " 'account default : NAME'")
          .at(fileName);
    }
    return null;
  }

  private List<DeviceId> peers(KeyValues k, DeviceId device) {
    List<DeviceId> peers = k.get(keys.peers);
    Block.Entry l = k.entry(keys.peers);
    if (l == null) {
      return peers;
    }
    if (peers.isEmpty()) {
      throw l.reject("name at least one peer (the device that takes the turn), e.g. dongle");
    }
    Set<DeviceId> seen = new HashSet<>();
    for (DeviceId id : peers) {
      if (!seen.add(id)) {
        throw l.reject("name each peer once ('" + id + "' appears twice)");
      }
    }
    if (peers.contains(device)) {
      throw l.reject(
          "list the other devices only; '" + device + "' is this device (set by 'device')");
    }
    return peers;
  }

  private BrokerSettings broker(KeyValues k) {
    String url = k.get(keys.broker);
    Block.Entry tlsLine = k.entry(keys.brokerTls);
    if (tlsLine != null) {
      boolean on = k.get(keys.brokerTls);
      if (on && url.startsWith("tcp://")) {
        url = "ssl://" + url.substring("tcp://".length());
      } else if (!on && url.startsWith("ssl://")) {
        throw tlsLine.reject(
            "the broker URL "
                + url
                + " asks for TLS (ssl://); write broker_tls on, or a tcp:// URL for no TLS");
      }
    }
    String user = k.find(keys.brokerUser);
    Secret password = secret(k.entry(keys.brokerPassword), k.entry(keys.brokerPasswordEval));
    if (password != null && user == null) {
      throw SettingException.missing(
              keys.brokerUser.key(),
              "a broker password is set but no 'broker_user'; add 'broker_user NAME'")
          .at(password.origin());
    }
    return new BrokerSettings(url, user, password);
  }

  /** A password from its written line or its command line, whichever is set, or null. */
  static @Nullable Secret secret(Block.@Nullable Entry written, Block.@Nullable Entry command) {
    if (written != null) {
      return Secret.literal(written.text().toCharArray(), written.source());
    }
    return command == null ? null : Secret.command(command.text(), command.source());
  }

  /**
   * {@code inbound_retention}, or null when it is off. Refused with a POP3 mailbox that keeps its
   * mail: such a fetch looks at every message again, and a forgotten one would be delivered twice.
   */
  private @Nullable Duration inboundRetention(KeyValues k, @Nullable InboundAccount in) {
    Duration d = k.get(keys.inboundRetention).orElse(null);
    if (d != null && in != null && !in.protocol().isImap() && !in.delete()) {
      throw k.reject(
          keys.inboundRetention,
          "a pop3 mailbox that keeps its mail ('inbound_delete off') shows every message"
              + " again, and a forgotten one would be delivered twice; use off, or"
              + " inbound_delete on");
    }
    return d;
  }

  private static String localHostName() {
    try {
      String h = InetAddress.getLocalHost().getHostName();
      if (h.contains(".")) {
        try {
          return Values.hostName().parse("domain", h);
        } catch (SettingException e) {
          // not a usable name: fall through
        }
      }
      return h.matches("[A-Za-z0-9-]{1,63}") ? h + ".localdomain" : "localhost.localdomain";
    } catch (UnknownHostException e) {
      return "localhost.localdomain";
    }
  }
}
