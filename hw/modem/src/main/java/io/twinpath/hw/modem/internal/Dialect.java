package io.twinpath.hw.modem.internal;

import io.twinpath.hw.modem.ModemConfig;
import io.twinpath.hw.modem.ModemDialect;
import io.twinpath.hw.modem.internal.AtEngine.Exchange;
import java.io.IOException;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A vendor's AT dialect: its scripts (data in each implementation) and the few bits of logic
 * between them. The engine, the bring-up and the sockets never branch on the model.
 */
public interface Dialect {
  /** Whether the data context is up, and its IP address. */
  record DataState(boolean up, @Nullable String ip) {}

  ModemDialect id();

  /** Binary payload headers, answered and unsolicited. */
  List<PayloadRule> payloadRules();

  /** Registers the socket and data-context URCs. */
  void registerUrcs(AtEngine engine, ModemEvents events);

  /** Lines this dialect's socket and data steps claim even when they look like URCs. */
  List<Pattern> claims();

  /** Sets the APN and login and brings the data context up (idempotent). */
  void dataUp(Exchange ex, ModemConfig config) throws IOException;

  void dataDown(Exchange ex, ModemConfig config) throws IOException;

  DataState dataState(Exchange ex, ModemConfig config) throws IOException;

  /** Link ids available: 0 to links()-1. */
  int links();

  /** Most bytes one send command takes. */
  int maxSend();

  /** Most bytes one read command returns. */
  int maxRead();

  boolean supportsTransparent();

  /** Opens a buffered TCP link. */
  void open(Exchange ex, int link, String host, int port, ModemConfig config) throws IOException;

  /** Opens a transparent TCP link: on return the line carries raw data. */
  void openTransparent(Exchange ex, int link, String host, int port, ModemConfig config)
      throws IOException;

  /**
   * Sends up to {@link #maxSend()} bytes.
   *
   * @return the bytes the modem accepted; 0 when its buffer is full (retry later)
   */
  int send(Exchange ex, int link, byte[] buf, int off, int len) throws IOException;

  /**
   * Reads what the modem holds for the link, up to {@code len} ≤ {@link #maxRead()}.
   *
   * @return bytes read, 0 when nothing is waiting
   */
  int read(Exchange ex, int link, byte[] buf, int off, int len) throws IOException;

  /** How many sent bytes the peer has not acknowledged yet, or -1 when the dialect cannot tell. */
  default int unacknowledged(Exchange ex, int link) throws IOException {
    return -1;
  }

  void close(Exchange ex, int link) throws IOException;
}
