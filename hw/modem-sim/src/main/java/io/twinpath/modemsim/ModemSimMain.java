package io.twinpath.modemsim;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * {@code twinpath-modem-sim [options] <tty>}: serves a simulated modem on a tty until Ctrl-C.
 *
 * <p>Exit status 64 on a bad option, naming the option, the value and what is accepted.
 */
public final class ModemSimMain {
  static final String USAGE =
      """
      usage: twinpath-modem-sim [options] <tty>
        <tty>                     one end of a pty pair, e.g. made by
                                  socat pty,raw,echo=0,link=/tmp/modem pty,raw,echo=0,link=/tmp/host
        --dialect sim7600|ec25    modem family (default sim7600)
        --pin <digits>            SIM starts locked with this PIN
        --no-sim                  no SIM inserted
        --registration <state>    home|roaming|searching|denied|unknown|none (default home)
        --no-data                 data context cannot be activated (SMS still works)
        --rssi <0-31|99>          signal for AT+CSQ (default 20)
        --latency-ms <n>          one-way link latency (default 0)
        --bandwidth-kbps <n>      link bit rate each way in kbit/s, 0 = unlimited (default 0)
        --reply-delay-ms <n>      delay before every reply (default 0)
        --garbage                 garbage bytes before every response line
        --guard-ms <n>            +++ guard time (default 1000)
        --cipsend-ok yes|no       SIM7600: OK before +CIPSEND: (default yes)
        --push-header receive|ipd SIM7600 push header (default receive)
        --transparent-close no-carrier|closed   text on remote close in transparent mode
        --sms-log <file>          append every SMS part sent as a tab-separated line:
                                  time, number, encoding, part/count, reference, text, PDU
        --quiet                   do not print the byte counters at exit
      """;

  private ModemSimMain() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    Parsed p;
    try {
      p = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("twinpath-modem-sim: " + e.getMessage());
      System.err.print(USAGE);
      System.exit(64);
      return;
    }
    if (p.help) {
      System.out.print(USAGE);
      return;
    }
    ModemSimulator sim = ModemSimulator.attach(p.tty, p.config);
    sim.setGarbage(p.garbage);
    Path smsLog = p.smsLog;
    if (smsLog != null) {
      sim.onSmsSent(s -> appendSms(smsLog, s));
    }
    PrintStream out = System.out;
    boolean quiet = p.quiet;
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  sim.close();
                  if (!quiet) {
                    out.printf(
                        "serial in %d out %d bytes, tcp sent %d received %d bytes%n",
                        sim.serialBytesIn(),
                        sim.serialBytesOut(),
                        sim.tcpBytesSent(),
                        sim.tcpBytesReceived());
                    out.flush();
                  }
                }));
    out.println(
        "modem simulator (" + p.config.dialect().cliName() + ") on " + p.tty + "; Ctrl-C stops it");
    sim.awaitClosed();
  }

  /** One line of the SMS log; tabs and line breaks in the text are escaped. */
  static String smsLine(SentSms s) {
    String text =
        s.text()
            .replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r");
    return String.join(
            "\t",
            s.at().toString(),
            s.number(),
            s.encoding(),
            s.partNumber() + "/" + s.partCount(),
            String.valueOf(s.concatReference()),
            text,
            s.pdu() == null ? "-" : s.pdu())
        + "\n";
  }

  private static void appendSms(Path file, SentSms s) {
    try {
      Files.writeString(
          file,
          smsLine(s),
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      System.err.println("twinpath-modem-sim: cannot write the SMS log " + file + ": " + e);
    }
  }

  /** The parsed command line. */
  static final class Parsed {
    String tty = "";
    SimConfig config = SimConfig.of(Dialect.SIM7600);
    boolean quiet;
    boolean help;
    boolean garbage;
    @Nullable Path smsLog;
  }

  static Parsed parse(String[] args) {
    Parsed p = new Parsed();
    Dialect dialect = Dialect.SIM7600;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--dialect")) {
        dialect = Dialect.parse(value(args, ++i, "--dialect"));
      }
    }
    SimConfig.Builder b = SimConfig.builder(dialect);
    String tty = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--dialect" -> i++;
        case "-h", "--help" -> p.help = true;
        case "--pin" -> b.pin(value(args, ++i, a));
        case "--no-sim" -> b.simInserted(false);
        case "--registration" -> b.registration(RegistrationState.parse(value(args, ++i, a)));
        case "--no-data" -> b.dataService(false);
        case "--rssi" -> b.rssi(number(args, ++i, a));
        case "--latency-ms" -> b.linkLatency(Duration.ofMillis(number(args, ++i, a)));
        case "--bandwidth-kbps" -> b.linkBitsPerSecond(number(args, ++i, a) * 1000L);
        case "--reply-delay-ms" -> b.replyDelay(Duration.ofMillis(number(args, ++i, a)));
        case "--garbage" -> p.garbage = true;
        case "--guard-ms" -> b.guardTime(Duration.ofMillis(number(args, ++i, a)));
        case "--cipsend-ok" -> b.cipsendOk(yesNo(value(args, ++i, a), a));
        case "--push-header" ->
            b.pushHeader(
                choice(value(args, ++i, a), a, SimConfig.PushHeader.class, "receive or ipd"));
        case "--transparent-close" ->
            b.transparentClose(
                choice(
                    value(args, ++i, a),
                    a,
                    SimConfig.TransparentClose.class,
                    "no-carrier or closed"));
        case "--quiet" -> p.quiet = true;
        case "--sms-log" -> p.smsLog = Path.of(value(args, ++i, a));
        default -> {
          if (a.startsWith("-")) {
            throw new IllegalArgumentException("unknown option '" + a + "'");
          }
          if (tty != null) {
            throw new IllegalArgumentException(
                "only one tty is accepted, got '" + tty + "' and '" + a + "'");
          }
          tty = a;
        }
      }
    }
    if (tty == null && !p.help) {
      throw new IllegalArgumentException("the tty is missing");
    }
    p.tty = tty == null ? "" : tty;
    p.config = b.build();
    return p;
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException("option " + option + " needs a value");
    }
    return args[i];
  }

  private static int number(String[] args, int i, String option) {
    String v = value(args, i, option);
    try {
      int n = Integer.parseInt(v);
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "option " + option + " value '" + v + "' is not a non-negative whole number", e);
    }
  }

  private static boolean yesNo(String v, String option) {
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "yes", "true" -> true;
      case "no", "false" -> false;
      default ->
          throw new IllegalArgumentException(
              "option " + option + " value '" + v + "' is not accepted; use yes or no");
    };
  }

  private static <E extends Enum<E>> E choice(
      String v, String option, Class<E> type, String accepted) {
    try {
      return Enum.valueOf(type, v.toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "option " + option + " value '" + v + "' is not accepted; use " + accepted, e);
    }
  }
}
