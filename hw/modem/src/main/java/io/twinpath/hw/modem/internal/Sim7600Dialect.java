package io.twinpath.hw.modem.internal;

import io.twinpath.hw.modem.ModemConfig;
import io.twinpath.hw.modem.ModemDialect;
import io.twinpath.hw.modem.ModemException;
import io.twinpath.hw.modem.internal.AtEngine.Exchange;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** SIMCom SIM7600: NETOPEN, CIPOPEN, CIPSEND, CIPRXGET pull receive; non-transparent. */
public final class Sim7600Dialect implements Dialect {
  private static final Logger LOG = LoggerFactory.getLogger(Sim7600Dialect.class);

  /** PWRKEY: on 2 s, off 3 s; up to 20 s to boot, 5 s to shut down (RESET, if wired: 500 ms). */
  static final PowerTimings POWER =
      new PowerTimings(
          Duration.ofSeconds(2),
          Duration.ofSeconds(3),
          Duration.ofMillis(500),
          Duration.ofSeconds(20),
          Duration.ofSeconds(5));

  // --- the scripts, as data ---
  static final AtStep PDP_CONTEXT = AtStep.cmd("AT+CGDCONT={cid},\"IP\",\"{apn}\"").build();
  static final AtStep PDP_AUTH =
      AtStep.cmd("AT+CGAUTH={cid},{auth},\"{password}\",\"{user}\"").secret().build();
  static final AtStep SOCKET_PDP = AtStep.cmd("AT+CSOCKSETPN={cid}").build();
  static final AtStep NON_TRANSPARENT = AtStep.cmd("AT+CIPMODE=0").build();
  static final AtStep PULL_RECEIVE = AtStep.cmd("AT+CIPRXGET=1").build();
  static final AtStep NET_STATE =
      AtStep.cmd("AT+NETOPEN?").claim("\\+NETOPEN: .*").timeoutSeconds(10).build();
  static final AtStep NET_OPEN = AtStep.cmd("AT+NETOPEN").claim("\\+NETOPEN: .*").build();
  static final AtStep NET_OPENED =
      AtStep.await("+NETOPEN").expect("\\+NETOPEN: 0").fail("\\+NETOPEN: [1-9]\\d*").build();
  static final AtStep IP_ADDRESS = AtStep.cmd("AT+IPADDR").claim("\\+IPADDR: .*").build();
  static final AtStep NET_CLOSE =
      AtStep.cmd("AT+NETCLOSE").claim("\\+NETCLOSE: .*").timeoutSeconds(60).build();
  static final AtStep NET_CLOSED =
      AtStep.await("+NETCLOSE").expect("\\+NETCLOSE: \\d+").timeoutSeconds(60).build();
  static final AtStep OPEN =
      AtStep.cmd("AT+CIPOPEN={link},\"TCP\",\"{host}\",{port}")
          .claim("\\+CIPOPEN: .*")
          .timeoutSeconds(15)
          .build();
  static final AtStep OPENED = AtStep.await("+CIPOPEN").expect("\\+CIPOPEN: (\\d+),(\\d+)").build();
  static final AtStep SEND =
      AtStep.cmd("AT+CIPSEND={link},{length}")
          .prompt()
          .expect("\\+CIPSEND: (\\d+),(\\d+),(-?\\d+)")
          .fail("\\+CIPERROR: ?(.*)")
          .timeoutSeconds(30)
          .build();
  static final AtStep READ =
      AtStep.cmd("AT+CIPRXGET=2,{link},{length}").claim("\\+CIPRXGET: 2,.*").build();
  static final AtStep CLOSE =
      AtStep.cmd("AT+CIPCLOSE={link}")
          .expect("OK", "\\+CIPCLOSE: (\\d+),0")
          .fail("\\+CIPCLOSE: (\\d+),([1-9]\\d*)")
          .claim("\\+CIPCLOSE: .*")
          .timeoutSeconds(15)
          .build();
  static final AtStep CLOSED =
      AtStep.await("+CIPCLOSE").expect("\\+CIPCLOSE: (\\d+),(\\d+)").timeoutSeconds(2).build();

  /** Swallows the final result that may follow a {@code +CIPCLOSE:} line. */
  static final AtStep SETTLE =
      AtStep.await("final result").expect("OK", "ERROR").timeout(Duration.ofMillis(500)).build();

  static final Map<Integer, String> OPEN_ERRORS =
      Map.ofEntries(
          Map.entry(1, "network failure"),
          Map.entry(2, "network not opened"),
          Map.entry(3, "wrong parameter"),
          Map.entry(4, "operation not supported"),
          Map.entry(5, "failed to create socket"),
          Map.entry(6, "failed to bind socket"),
          Map.entry(7, "TCP server is already listening"),
          Map.entry(8, "busy"),
          Map.entry(9, "sockets opened"),
          Map.entry(10, "timeout"),
          Map.entry(11, "DNS parse failed"),
          Map.entry(255, "unknown error"));

  static final List<PayloadRule> PAYLOADS =
      List.of(
          PayloadRule.response("\\+CIPRXGET: 2,(\\d+),(\\d+),(\\d+)", 2),
          PayloadRule.unsolicited("\\+RECEIVE,(\\d+),(\\d+)", 2),
          PayloadRule.unsolicited("\\+IPD,?(\\d+)", 1));

  static final List<Pattern> CLAIMS =
      List.of(
          Pattern.compile("\\+CIPRXGET: 2,.*"),
          Pattern.compile("\\+NETOPEN: .*"),
          Pattern.compile("\\+CIPOPEN: .*"),
          Pattern.compile("\\+CIPCLOSE: .*"));

  @Override
  public ModemDialect id() {
    return ModemDialect.SIM7600;
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
    engine.onUrc("\\+CIPRXGET: 1,(\\d+)", (m, p) -> events.dataReady(Integer.parseInt(m.group(1))));
    engine.onUrc(
        "\\+IPCLOSE: (\\d+),(\\d+)",
        (m, p) ->
            events.remoteClosed(
                Integer.parseInt(m.group(1)),
                switch (m.group(2)) {
                  case "0" -> "closed locally (+IPCLOSE reason 0)";
                  case "1" -> "closed by the remote end (+IPCLOSE reason 1)";
                  case "2" -> "closed after a send timeout (+IPCLOSE reason 2)";
                  default -> "closed (+IPCLOSE reason " + m.group(2) + ")";
                }));
    engine.onUrc(
        "\\+CIPEVENT: NETWORK CLOSED UNEXPECTEDLY",
        (m, p) -> events.contextLost("the network closed unexpectedly (+CIPEVENT)"));
    engine.onUrc(
        "\\+CIPERROR: ?(.*)", (m, p) -> LOG.warn("modem reports +CIPERROR {}", m.group(1)));
    engine.onUrc(
        "\\+RECEIVE,(\\d+),(\\d+)",
        (m, p) -> events.pushData(Integer.parseInt(m.group(1)), p == null ? new byte[0] : p));
    engine.onUrc("\\+IPD,?(\\d+)", (m, p) -> events.pushData(-1, p == null ? new byte[0] : p));
  }

  @Override
  public void dataUp(Exchange ex, ModemConfig config) throws IOException {
    Map<String, String> args = contextArgs(config);
    if (dataState(ex, config).up()) {
      return;
    }
    if (!config.apn().isEmpty()) {
      ex.run(PDP_CONTEXT, args);
    }
    if (config.auth() != ModemConfig.Auth.NONE) {
      ex.run(PDP_AUTH, args);
    }
    optional(ex, SOCKET_PDP, args);
    optional(ex, NON_TRANSPARENT, args);
    ex.run(PULL_RECEIVE, args);
    try {
      ex.run(NET_OPEN, args);
    } catch (ModemException e) {
      if (e.getMessage() != null && e.getMessage().contains("already opened")) {
        return;
      }
      throw e;
    }
    ex.run(withTimeout(NET_OPENED, config.dataTimeout()), args);
  }

  @Override
  public void dataDown(Exchange ex, ModemConfig config) throws IOException {
    try {
      ex.run(NET_CLOSE, Map.of());
    } catch (ModemException e) {
      LOG.debug("NETCLOSE: {}", e.getMessage());
      return;
    }
    ex.run(NET_CLOSED, Map.of());
  }

  @Override
  public DataState dataState(Exchange ex, ModemConfig config) throws IOException {
    AtReply r = ex.run(NET_STATE, Map.of());
    boolean up = r.find("\\+NETOPEN: ?1(,.*)?").isPresent();
    if (!up) {
      return new DataState(false, null);
    }
    @Nullable String ip = null;
    try {
      ip = r(ex.run(IP_ADDRESS, Map.of()).find("\\+IPADDR: ?\"?([^\"]*)\"?"));
    } catch (ModemException e) {
      LOG.debug("IPADDR: {}", e.getMessage());
    }
    return new DataState(true, ip);
  }

  @Override
  public int links() {
    return 10;
  }

  @Override
  public int maxSend() {
    return 1500;
  }

  @Override
  public int maxRead() {
    return 1460;
  }

  @Override
  public boolean supportsTransparent() {
    return false;
  }

  @Override
  public void open(Exchange ex, int link, String host, int port, ModemConfig config)
      throws IOException {
    Map<String, String> args = Map.of("link", "" + link, "host", host, "port", "" + port);
    try {
      ex.run(OPEN, args);
    } catch (ModemException e) {
      throw openFailed(host, port, e);
    }
    AtReply r = ex.run(withTimeout(OPENED, config.connectTimeout()), args);
    Matcher m = r.resultMatch(OPENED.success().get(0).pattern()).orElseThrow();
    int err = Integer.parseInt(m.group(2));
    if (err != 0) {
      throw new ModemException(
          "cannot open a TCP link to "
              + host
              + ":"
              + port
              + " through the modem: +CIPOPEN: "
              + link
              + ","
              + err
              + " ("
              + OPEN_ERRORS.getOrDefault(err, "error " + err)
              + ")",
          "AT+CIPOPEN",
          r.result(),
          err,
          false,
          null);
    }
  }

  private static ModemException openFailed(String host, int port, ModemException e) {
    Integer code = e.errorCode();
    String why = code == null ? "" : " (" + OPEN_ERRORS.getOrDefault(code, "error " + code) + ")";
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
    throw new IOException(
        "transparent mode is not supported on SIM7600 (unverified); use buffered sockets");
  }

  @Override
  public int send(Exchange ex, int link, byte[] buf, int off, int len) throws IOException {
    byte[] data = java.util.Arrays.copyOfRange(buf, off, off + len);
    AtReply r = ex.run(SEND, Map.of("link", "" + link, "length", "" + len), data);
    Matcher m = r.resultMatch(SEND.success().get(0).pattern()).orElseThrow();
    int confirmed = Integer.parseInt(m.group(3));
    if (confirmed < 0) {
      throw new IOException("modem link " + link + " is closed (+CIPSEND: " + m.group() + ")");
    }
    return Math.min(confirmed, len);
  }

  @Override
  public int read(Exchange ex, int link, byte[] buf, int off, int len) throws IOException {
    AtReply r;
    try {
      r = ex.run(READ, Map.of("link", "" + link, "length", "" + Math.min(len, maxRead())));
    } catch (ModemException e) {
      if (e.isTimeout()) {
        throw e;
      }
      LOG.debug("CIPRXGET on link {}: {}", link, e.getMessage());
      return 0;
    }
    int n = 0;
    for (AtReply.Payload p : r.payloads()) {
      int k = Math.min(p.data().length, len - n);
      System.arraycopy(p.data(), 0, buf, off + n, k);
      n += k;
    }
    return n;
  }

  @Override
  public void close(Exchange ex, int link) throws IOException {
    Map<String, String> args = Map.of("link", "" + link);
    AtReply r;
    try {
      r = ex.run(CLOSE, args);
    } catch (ModemException e) {
      if (e.isTimeout()) {
        throw e;
      }
      LOG.debug("CIPCLOSE on link {}: {}", link, e.getMessage());
      if (e.result().startsWith("+CIPCLOSE")) {
        settle(ex, SETTLE); // the ERROR after "+CIPCLOSE: <link>,<err>"
      }
      return;
    }
    if (r.result().equals("OK")) {
      if (r.find("\\+CIPCLOSE: .*").isEmpty()) {
        settle(ex, CLOSED.withTimeout(Duration.ofSeconds(2)));
      }
    } else {
      settle(ex, SETTLE); // an OK may follow "+CIPCLOSE: <link>,0"
    }
  }

  private static void settle(Exchange ex, AtStep step) throws IOException {
    try {
      ex.run(step, Map.of());
    } catch (ModemException e) {
      LOG.debug("nothing more after CIPCLOSE: {}", e.getMessage());
    }
  }

  private static void optional(Exchange ex, AtStep step, Map<String, String> args)
      throws IOException {
    try {
      ex.run(step, args);
    } catch (ModemException e) {
      if (e.isTimeout()) {
        throw e;
      }
      LOG.debug("optional step {} refused: {}", step.name(), e.getMessage());
    }
  }

  static Map<String, String> contextArgs(ModemConfig c) {
    return Map.of(
        "cid",
        "" + c.contextId(),
        "apn",
        c.apn(),
        "user",
        c.username(),
        "password",
        new String(c.password()),
        "auth",
        "" + c.auth().ordinal());
  }

  static AtStep withTimeout(AtStep step, Duration timeout) {
    return step.withTimeout(timeout);
  }

  private static @Nullable String r(Optional<Matcher> m) {
    return m.map(x -> x.group(1)).orElse(null);
  }
}
