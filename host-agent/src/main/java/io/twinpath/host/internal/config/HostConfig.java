package io.twinpath.host.internal.config;

import io.twinpath.core.DeviceId;
import io.twinpath.core.config.Secret;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Everything {@code twinpath-host} is configured with, validated, immutable, built only by {@link
 * ConfigLoader}. Passwords are {@link Secret}s and never shown.
 *
 * @param source the file it was read from, or null when none exists (all defaults)
 * @param device this laptop's device id
 * @param peers the other devices, in the order turns pass to them
 * @param account this laptop's own SMTP path, or null when it has none (peers send everything)
 * @param broker the MQTT broker
 * @param dataDir {@code $XDG_DATA_HOME/twinpath} by default: keys, peers, outcomes, the control
 *     socket
 * @param spoolDir where queued messages wait
 * @param maildir where bounces and inbound mail are delivered
 * @param listen the loopback SMTP listener's address, or null when it is off
 * @param sizeLimit the largest message accepted, in bytes
 * @param expiry how long an item may wait before it is reported as failed
 * @param backoff the first retry delay
 * @param backoffMax the longest retry delay
 * @param takeoverDelay how long a peer holding a turn may stay silent before this laptop takes it
 * @param domain the domain of generated Message-IDs
 * @param inbound the mailbox this laptop fetches into {@code maildir}, or null when it fetches none
 *     (inbound mail may still arrive from a peer)
 * @param inboundRetention how long ids of delivered inbound mail are remembered once every peer has
 *     them ({@code inbound_retention}), or null to remember them for ever
 */
public record HostConfig(
    @Nullable Path source,
    DeviceId device,
    List<DeviceId> peers,
    @Nullable Account account,
    BrokerSettings broker,
    Path dataDir,
    Path spoolDir,
    Path maildir,
    @Nullable InetSocketAddress listen,
    long sizeLimit,
    Duration expiry,
    Duration backoff,
    Duration backoffMax,
    Duration takeoverDelay,
    String domain,
    @Nullable InboundAccount inbound,
    @Nullable Duration inboundRetention) {

  /**
   * How long the engine keeps the record of a finished item, after the later of its finish and its
   * expiry.
   */
  public static final Duration RECORD_RETENTION = Duration.ofDays(1);

  public HostConfig {
    peers = List.copyOf(peers);
  }

  /**
   * How long an item's possible-duplicate count is kept after it last changed: as long as the
   * engine may keep the item's record (its expiry plus {@link #RECORD_RETENTION}), so {@code
   * status} counts the same items as the engine.
   */
  public Duration duplicatesKeep() {
    return expiry.plus(RECORD_RETENTION);
  }

  /** This device followed by its peers: the order in which turns pass. */
  public List<DeviceId> deviceOrder() {
    List<DeviceId> all = new ArrayList<>();
    all.add(device);
    all.addAll(peers);
    return List.copyOf(all);
  }

  /** The same configuration with another device id (the {@code --device} option). */
  public HostConfig withDevice(DeviceId id) {
    return new HostConfig(
        source,
        id,
        peers,
        account,
        broker,
        dataDir,
        spoolDir,
        maildir,
        listen,
        sizeLimit,
        expiry,
        backoff,
        backoffMax,
        takeoverDelay,
        domain,
        inbound,
        inboundRetention);
  }

  /** The same configuration with another broker URL (the {@code --broker} option). */
  public HostConfig withBrokerUrl(String url) {
    return new HostConfig(
        source,
        device,
        peers,
        account,
        new BrokerSettings(url, broker.user(), broker.password()),
        dataDir,
        spoolDir,
        maildir,
        listen,
        sizeLimit,
        expiry,
        backoff,
        backoffMax,
        takeoverDelay,
        domain,
        inbound,
        inboundRetention);
  }

  /** The daemon's control socket. */
  public Path controlSocket() {
    return dataDir.resolve("control.sock");
  }

  /** Where the possible duplicates of the items kept are counted for {@code status}. */
  public Path duplicatesFile() {
    return dataDir.resolve("duplicates.json");
  }

  /** Where recorded outcomes (delivered, failed) are kept for {@code status}. */
  public Path outcomesFile() {
    return dataDir.resolve("outcomes.jsonl");
  }
}
