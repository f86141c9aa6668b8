package io.twinpath.hw.modem.internal;

/** What the dialects' URC handlers report. Called on the reader thread: record and signal only. */
public interface ModemEvents {
  /** Data waits in the modem's buffer for {@code link} (pull/buffer receive). */
  void dataReady(int link);

  /** Data pushed by the modem for {@code link}; -1 when the modem did not say which link. */
  void pushData(int link, byte[] data);

  /** The peer (or the network) closed {@code link}. */
  void remoteClosed(int link, String why);

  /** The data context went down: every socket is lost. */
  void contextLost(String why);

  /** A registration URC: kind is CREG, CGREG or CEREG. */
  void registration(String kind, int stat);
}
