package io.twinpath.hw.modem.internal;

import io.twinpath.hw.modem.ModemConfig;
import io.twinpath.hw.modem.ModemDialect;
import io.twinpath.hw.modem.ModemException;
import io.twinpath.hw.modem.internal.AtEngine.Exchange;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Quectel EC25 / EG25 / BG9x: QICSGP, QIACT, QIOPEN, QISEND, QIRD in buffer mode, and access mode 2
 * (transparent).
 */
public final class QuectelDialect implements Dialect {
  private static final Logger LOG = LoggerFactory.getLogger(QuectelDialect.class);

  /** PWRKEY: on 1.5 s, off 1.5 s; RESET 500 ms; up to 15 s to boot, 5 s to shut down. */
  static final PowerTimings POWER =
      new PowerTimings(
          Duration.ofMillis(1500),
          Duration.ofMillis(1500),
          Duration.ofMillis(500),
          Duration.ofSeconds(15),
          Duration.ofSeconds(5));

  // --- the scripts, as data ---
  static final AtStep CONTEXT =
      AtStep.cmd("AT+QICSGP={cid},1,\"{apn}\",\"{user}\",\"{password}\",{auth}").secret().build();
  static final AtStep ACTIVATE = AtStep.cmd("AT+QIACT={cid}").timeoutSeconds(150).build();
  static final AtStep CONTEXT_STATE =
      AtStep.cmd("AT+QIACT?").claim("\\+QIACT: .*").timeoutSeconds(10).build();
  static final AtStep DEACTIVATE = AtStep.cmd("AT+QIDEACT={cid}").timeoutSeconds(40).build();
  static final AtStep OPEN =
      AtStep.cmd("AT+QIOPEN={cid},{link},\"TCP\",\"{host}\",{port},0,0")
          .claim("\\+QIOPEN: .*")
          .timeoutSeconds(10)
          .build();
  static final AtStep OPENED =
      AtStep.await("+QIOPEN").expect("\\+QIOPEN: (\\d+),(\\d+)").timeoutSeconds(150).build();
  static final AtStep OPEN_TRANSPARENT =
      AtStep.cmd("AT+QIOPEN={cid},{link},\"TCP\",\"{host}\",{port},0,2")
          .connect()
          .claim("\\+QIOPEN: .*")
          .timeoutSeconds(150)
          .build();
  static final AtStep SEND =
      AtStep.cmd("AT+QISEND={link},{length}")
          .prompt()
          .expect("SEND OK", "SEND FAIL")
          .timeoutSeconds(30)
          .build();
  static final AtStep SEND_STATE = AtStep.cmd("AT+QISEND={link},0").claim("\\+QISEND: .*").build();
  static final AtStep READ = AtStep.cmd("AT+QIRD={link},{length}").claim("\\+QIRD: .*").build();
  static final AtStep CLOSE = AtStep.cmd("AT+QICLOSE={link}").timeoutSeconds(12).build();
  static final AtStep LAST_ERROR = AtStep.cmd("AT+QIGETERROR").claim("\\+QIGETERROR: .*").build();

  static final Map<Integer, String> ERRORS =
      Map.ofEntries(
          Map.entry(550, "unknown error"),
          Map.entry(551, "operation blocked"),
          Map.entry(552, "invalid parameters"),
          Map.entry(553, "memory not enough"),
          Map.entry(554, "create socket failed"),
          Map.entry(555, "operation not supported"),
          Map.entry(556, "socket bind failed"),
          Map.entry(557, "socket listen failed"),
          Map.entry(558, "socket write failed"),
          Map.entry(559, "socket read failed"),
          Map.entry(560, "socket accept failed"),
          Map.entry(561, "open PDP context failed"),
          Map.entry(562, "close PDP context failed"),
          Map.entry(563, "socket identity has been used"),
          Map.entry(564, "DNS busy"),
          Map.entry(565, "DNS parse failed"),
          Map.entry(566, "socket connect failed"),
          Map.entry(567, "socket has been closed"),
          Map.entry(568, "operation busy"),
          Map.entry(569, "operation timeout"),
          Map.entry(570, "PDP context broken down"),
          Map.entry(571, "cancel send"),
          Map.entry(572, "operation not allowed"),
          Map.entry(573, "APN not configured"),
          Map.entry(574, "port busy"));

  static final List<PayloadRule> PAYLOADS =
      List.of(
          PayloadRule.response("\\+QIRD: (\\d+)", 1),
          PayloadRule.unsolicited("\\+QIURC: \"recv\",(\\d+),(\\d+)", 2));

  static final List<Pattern> CLAIMS =
      List.of(
          Pattern.compile("\\+QIOPEN: .*"),
          Pattern.compile("\\+QIACT: .*"),
          Pattern.compile("\\+QISEND: .*"),
          Pattern.compile("\\+QIRD: .*"));

  @Override
  public ModemDialect id() {
    return ModemDialect.EC25;
  }

  @Override
  public List<PayloadRule> payloadRules() {
    return PAYLOADS;
  }

  @Override
  public List<Pattern> claims() {
    return CLAIMS;
  }

  @Override
  public void registerUrcs(AtEngine engine, ModemEvents events) {
    engine.onUrc(
        "\\+QIURC: \"recv\",(\\d+)", (m, p) -> events.dataReady(Integer.parseInt(m.group(1))));
    engine.onUrc(
        "\\+QIURC: \"recv\",(\\d+),(\\d+)",
        (m, p) -> events.pushData(Integer.parseInt(m.group(1)), p == null ? new byte[0] : p));
    engine.onUrc(
        "\\+QIURC: \"closed\",(\\d+)",
        (m, p) ->
            events.remoteClosed(
                Integer.parseInt(m.group(1)), "closed by the remote end (+QIURC: \"closed\")"));
    engine.onUrc(
        "\\+QIURC: \"pdpdeact\",(\\d+)",
        (m, p) ->
            events.contextLost(
                "the data context " + m.group(1) + " was deactivated (+QIURC: \"pdpdeact\")"));
    engine.onUrc(
        "\\+QIURC: \"incoming full\"", (m, p) -> LOG.warn("modem reports its socket table full"));
  }

  @Override
  public void dataUp(Exchange ex, ModemConfig config) throws IOException {
    if (dataState(ex, config).up()) {
      return;
    }
    Map<String, String> args = Sim7600Dialect.contextArgs(config);
    ex.run(CONTEXT, args);
    ex.run(ACTIVATE.withTimeout(config.dataTimeout()), args);
  }

  @Override
  public void dataDown(Exchange ex, ModemConfig config) throws IOException {
    ex.run(DEACTIVATE, Map.of("cid", "" + config.contextId()));
  }

  @Override
  public DataState dataState(Exchange ex, ModemConfig config) throws IOException {
    AtReply r = ex.run(CONTEXT_STATE, Map.of());
    Pattern p = Pattern.compile("\\+QIACT: (\\d+),(\\d+),(\\d+)(?:,\"([^\"]*)\")?");
    for (String line : r.lines()) {
      Matcher m = p.matcher(line);
      if (m.matches() && Integer.parseInt(m.group(1)) == config.contextId()) {
        boolean up = m.group(2).equals("1");
        @Nullable String ip = m.group(4);
        return new DataState(up, up ? ip : null);
      }
    }
    return new DataState(false, null);
  }

  @Override
  public int links() {
    return 12;
  }

  @Override
  public int maxSend() {
    return 1460;
  }

  @Override
  public int maxRead() {
    return 1500;
  }

  @Override
  public boolean supportsTransparent() {
    return true;
  }

  private static Map<String, String> openArgs(int link, String host, int port, ModemConfig config) {
    return Map.of(
        "cid", "" + config.contextId(), "link", "" + link, "host", host, "port", "" + port);
  }

  @Override
  public void open(Exchange ex, int link, String host, int port, ModemConfig config)
      throws IOException {
    Map<String, String> args = openArgs(link, host, port, config);
    try {
      ex.run(OPEN, args);
    } catch (ModemException e) {
      throw failed(host, port, e, e.errorCode());
    }
    AtReply r = ex.run(OPENED.withTimeout(config.connectTimeout()), args);
    Matcher m = r.resultMatch(OPENED.success().get(0).pattern()).orElseThrow();
    int err = Integer.parseInt(m.group(2));
    if (err != 0) {
      try {
        ex.run(CLOSE, args);
      } catch (ModemException e) {
        LOG.debug("QICLOSE after a failed open: {}", e.getMessage());
      }
      throw new ModemException(
          "cannot open a TCP link to "
              + host
              + ":"
              + port
              + " through the modem: +QIOPEN: "
              + link
              + ","
              + err
              + " ("
              + ERRORS.getOrDefault(err, "error " + err)
              + ")",
          "AT+QIOPEN",
          r.result(),
          err,
          false,
          null);
    }
  }

  private static ModemException failed(
      String host, int port, ModemException e, @Nullable Integer code) {
    String why = code == null ? "" : " (" + ERRORS.getOrDefault(code, "error " + code) + ")";
    return new ModemException(
        "cannot open a TCP link to "
            + host
            + ":"
            + port
            + " through the modem: "
            + e.getMessage()
            + why,
        e.command(),
        e.result(),
        code,
        e.isTimeout(),
        e);
  }

  @Override
  public void openTransparent(Exchange ex, int link, String host, int port, ModemConfig config)
      throws IOException {
    try {
      ex.run(
          OPEN_TRANSPARENT.withTimeout(config.connectTimeout()),
          openArgs(link, host, port, config));
    } catch (ModemException e) {
      throw failed(host, port, e, e.errorCode());
    }
  }

  @Override
  public int send(Exchange ex, int link, byte[] buf, int off, int len) throws IOException {
    byte[] data = Arrays.copyOfRange(buf, off, off + len);
    AtReply r = ex.run(SEND, Map.of("link", "" + link, "length", "" + len), data);
    return r.result().equals("SEND OK") ? len : 0;
  }

  @Override
  public int read(Exchange ex, int link, byte[] buf, int off, int len) throws IOException {
    AtReply r = ex.run(READ, Map.of("link", "" + link, "length", "" + Math.min(len, maxRead())));
    int n = 0;
    for (AtReply.Payload p : r.payloads()) {
      int k = Math.min(p.data().length, len - n);
      System.arraycopy(p.data(), 0, buf, off + n, k);
      n += k;
    }
    return n;
  }

  @Override
  public int unacknowledged(Exchange ex, int link) throws IOException {
    AtReply r = ex.run(SEND_STATE, Map.of("link", "" + link));
    return r.find("\\+QISEND: (\\d+),(\\d+),(\\d+)")
        .map(m -> Integer.parseInt(m.group(3)))
        .orElse(-1);
  }

  @Override
  public void close(Exchange ex, int link) throws IOException {
    try {
      ex.run(CLOSE, Map.of("link", "" + link));
    } catch (ModemException e) {
      if (e.isTimeout()) {
        throw e;
      }
      LOG.debug("QICLOSE on link {}: {}", link, e.getMessage());
    }
  }
}
