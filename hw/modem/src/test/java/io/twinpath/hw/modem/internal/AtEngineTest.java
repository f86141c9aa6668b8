package io.twinpath.hw.modem.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinpath.hw.Sleeper;
import io.twinpath.hw.modem.ModemException;
import io.twinpath.hw.modem.ScriptedPipe;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AtEngineTest {
  private final ScriptedPipe pipe = new ScriptedPipe(2);
  private final List<Duration> slept = new CopyOnWriteArrayList<>();
  private final Sleeper sleeper = slept::add;
  private final AtEngine engine =
      AtEngine.start(pipe, Sim7600Dialect.PAYLOADS, sleeper, Duration.ofSeconds(1));
  private static final Duration WAIT = Duration.ofSeconds(2);

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void urcInTheMiddleOfAReplyGoesToItsHandler() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    engine.onUrc("\\+CEREG: (\\d)", (m, p) -> seen.add("CEREG " + m.group(1)));
    engine.onUrc("\\+CIPRXGET: 1,(\\d+)", (m, p) -> seen.add("data on " + m.group(1)));
    pipe.on(
        "AT+CSQ",
        "\r\n+CEREG: 5\r\n" // URC before the answer
            + "+CSQ: 17,99\r\n"
            + "\r\n+CIPRXGET: 1,3\r\n" // URC between the answer and OK
            + "\r\nOK\r\n");
    AtReply r = engine.run(Common.SIGNAL, Map.of(), WAIT);
    assertThat(r.lines()).containsExactly("+CSQ: 17,99");
    assertThat(r.result()).isEqualTo("OK");
    assertThat(seen).containsExactly("CEREG 5", "data on 3");
  }

  @Test
  void aQueryAnswerThatLooksLikeAUrcIsClaimedByTheCommand() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    engine.onUrc("\\+CEREG: (\\d)(,.*)?", (m, p) -> seen.add(m.group()));
    pipe.on("AT+CEREG?", "\r\n+CEREG: 0,1\r\n\r\nOK\r\n");
    AtReply r = engine.run(Common.EPS_REG, Map.of(), WAIT);
    assertThat(r.lines()).containsExactly("+CEREG: 0,1");
    assertThat(seen).isEmpty();
  }

  @Test
  void errorResultsCarryCodeAndMeaning() {
    pipe.on("AT+CPIN?", "\r\n+CME ERROR: 10\r\n");
    assertThatThrownBy(() -> engine.run(Common.SIM_STATE, Map.of(), WAIT))
        .isInstanceOf(ModemException.class)
        .hasMessageContaining("SIM not inserted")
        .extracting(e -> ((ModemException) e).errorCode())
        .isEqualTo(10);
  }

  @Test
  void garbageBeforeTheAnswerIsIgnored() throws Exception {
    pipe.on(
        "AT+CSQ",
        "\u0000\u00ff\u0013~~noise~~\r\n" // line noise ending in a line break
            + "x".repeat(AtParser.MAX_LINE + 10) // a runaway line with no end
            + "\r\n+CSQ: 9,0\r\n\r\nOK\r\n");
    AtReply r = engine.run(Common.SIGNAL, Map.of(), WAIT);
    assertThat(r.find("\\+CSQ: (\\d+),(\\d+)")).isPresent();
    assertThat(engine.garbageLines()).isPositive();
  }

  @Test
  void aWedgedModemIsResynchronisedWithAtThenPlusPlusPlusAndBackOff() throws Exception {
    AtStep quick = AtStep.cmd("AT+CSQ").timeout(Duration.ofMillis(200)).build();
    pipe.expect("AT+CSQ\r") // no answer: the modem is wedged
        .expect("AT\r") // resync attempt 1: still nothing
        .expect("+++") // attempt 2 escapes first ...
        .send("\r\nOK\r\n")
        .expect("AT\r") // ... then AT answers
        .send("\r\nOK\r\n")
        .on("AT+CSQ", "\r\n+CSQ: 5,0\r\n\r\nOK\r\n");
    assertThatThrownBy(() -> engine.run(quick, Map.of(), WAIT))
        .isInstanceOf(ModemException.class)
        .satisfies(e -> assertThat(((ModemException) e).isTimeout()).isTrue());
    assertThat(engine.needsResync()).isTrue();
    AtReply r = engine.run(Common.SIGNAL, Map.of(), WAIT);
    assertThat(r.find("\\+CSQ: 5,0")).isPresent();
    assertThat(engine.needsResync()).isFalse();
    assertThat(pipe.problems()).isEmpty();
    // back-off after attempt 1, then the guard time before and after +++
    assertThat(slept)
        .containsExactly(Duration.ofMillis(250), Duration.ofSeconds(1), Duration.ofSeconds(1));
  }

  @Test
  void lateResultOfAnEarlierCommandIsNotTakenForTheNextOne() throws Exception {
    pipe.on("AT+CIPCLOSE=0", "\r\nOK\r\n")
        .send("\r\n+CIPCLOSE: 0,0\r\n\r\nOK\r\n") // a stray late OK
        .on("AT+CSQ", "\r\n+CSQ: 3,0\r\n\r\nOK\r\n");
    try (AtEngine.Exchange ex = engine.acquire(WAIT, List.of())) {
      ex.run(Sim7600Dialect.CLOSE, Map.of("link", "0"));
    }
    // the stray OK is read and handled before the next command goes out
    org.awaitility.Awaitility.await().atMost(WAIT).until(pipe::drained);
    AtReply r = engine.run(Common.SIGNAL, Map.of(), WAIT);
    assertThat(r.lines()).containsExactly("+CSQ: 3,0");
  }
}
