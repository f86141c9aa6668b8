package io.twinpath.dongle.internal;

import io.twinpath.core.smtp.SmtpSettings;
import io.twinpath.dongle.DongleConfig;
import io.twinpath.hw.modem.Modem;
import io.twinpath.hw.modem.ModemException;
import io.twinpath.hw.modem.ModemHealth;
import io.twinpath.hw.serial.SerialBytePipe;
import io.twinpath.secondary.SecondarySettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * {@code twinpath-dongle modem check}: walks through port, SIM and PIN, signal, registration, data
 * context and a test connection to the SMTP server, and says in words what is wrong and what to do.
 * Stops at the first failure.
 */
public final class ModemCheck {
  static final List<String> STEPS =
      List.of("port", "SIM", "signal", "registration", "data", "SMTP server");

  private final DongleConfig config;
  private final CheckReport report;
  private final Duration wait;

  public ModemCheck(DongleConfig config, PrintWriter out, Duration wait) {
    this.config = config;
    this.report = new CheckReport(out);
    this.wait = wait;
  }

  /** Runs the steps; stops at the first failure. */
  public CheckReport run() {
    String port = config.modem().port();
    if (port == null) {
      if (config.path() == SecondarySettings.PathKind.INTERFACE) {
        skipTo(5, "path = interface: the modem is not used for mail");
        smtpOverInterface();
        return report;
      }
      report.fail(
          "port",
          "no modem is configured",
          "set modem.port in the config file to the modem's AT port, e.g. /dev/ttyUSB2 for a USB"
              + " dongle (interface 2) or /dev/ttyS0 for a HAT; 'ls -l /dev/serial/by-id/' lists"
              + " the candidates");
      skipRest(1);
      return report;
    }
    if (!portUsable(Path.of(port))) {
      skipRest(1);
      return report;
    }
    Modem modem;
    try {
      modem =
          Modem.open(
              SerialBytePipe.open(NodeSettings.serial(config)),
              NodeSettings.dialect(config),
              NodeSettings.modemConfig(config)
                  .registrationTimeout(wait)
                  .commandTimeout(Duration.ofSeconds(5))
                  .build());
    } catch (IOException | RuntimeException e) {
      report.fail(
          "port",
          port + " cannot be opened: " + e.getMessage(),
          "make sure no other program uses it (ModemManager: see the udev rule in docs/dongle.md;"
              + " 'fuser "
              + port
              + "' shows who holds it)");
      skipRest(1);
      return report;
    }
    try (modem) {
      steps(modem);
    }
    return report;
  }

  private void steps(Modem modem) {
    String port = config.modem().port();
    ModemHealth h;
    try {
      modem.resync();
      h = modem.health();
    } catch (IOException e) {
      report.fail(
          "port",
          "nothing answers AT commands on " + port + " (" + e.getMessage() + ")",
          "check that this is the AT port (USB modems have several: try the others), that"
              + " modem.baud matches ("
              + config.modem().baud()
              + "), and that the modem is powered (its LED blinks)");
      skipRest(1);
      return;
    }
    report.ok(
        "port", port + " answers AT commands (" + config.modem().dialect().name() + " dialect)");
    String sim = h.sim() == null ? "unknown" : Objects.requireNonNull(h.sim());
    switch (sim.toUpperCase(Locale.ROOT)) {
      case "READY":
        report.ok("SIM", "the SIM is ready");
        break;
      case "SIM PIN":
        if (config.modem().pin() == null) {
          report.fail(
              "SIM",
              "the SIM is locked with a PIN and none is configured",
              "set modem.pin (or modem.pin-file) to the SIM's PIN, or remove the PIN in a phone");
          skipRest(2);
          return;
        }
        report.ok("SIM", "the SIM asks for its PIN; the configured one will be entered");
        break;
      case "SIM PUK":
        report.fail(
            "SIM",
            "the SIM is blocked (PUK required) after wrong PINs",
            "unblock it with the PUK from the SIM's card in a phone, then set the right"
                + " modem.pin");
        skipRest(2);
        return;
      case "NOT INSERTED":
        report.fail(
            "SIM",
            "no SIM card is in the modem",
            "power the modem off, insert the SIM (contacts down, cut corner first), power on");
        skipRest(2);
        return;
      default:
        report.fail(
            "SIM",
            "the SIM is not ready (" + sim + ")",
            "reseat the SIM; if it persists, try the SIM in a phone");
        skipRest(2);
        return;
    }
    Integer dbm = h.signalDbm();
    if (dbm == null) {
      report.warn(
          "signal",
          "no signal measured yet (rssi 99)",
          "check that the antenna is screwed on (main port) and the device is not in a shielded"
              + " place; registration below will tell if it matters");
    } else if (dbm < -105) {
      report.warn(
          "signal",
          "weak signal: " + dbm + " dBm",
          "move the device or the antenna nearer a window; below about -105 dBm data is slow and"
              + " drops");
    } else {
      report.ok("signal", dbm + " dBm" + (dbm >= -85 ? " (good)" : " (fair)"));
    }
    try {
      h = modem.bringUp();
    } catch (ModemException e) {
      String cmd = e.command().toUpperCase(Locale.ROOT);
      if (cmd.contains("CPIN")) {
        report.fail(
            "SIM",
            e.getMessage(),
            "check modem.pin; a few wrong PINs block the SIM, so fix it before trying again");
        skipRest(3);
      } else if (cmd.contains("REG") || cmd.contains("COPS")) {
        report.fail(
            "registration",
            e.getMessage(),
            "the SIM found no network it may use within "
                + wait.toSeconds()
                + " s: check coverage and the antenna, that the SIM's plan is active (and allows"
                + " roaming, abroad), then run the check again");
        skipRest(4);
      } else {
        try {
          ModemHealth now = modem.health();
          if (now.registered()) {
            report.ok(
                "registration",
                "registered" + (now.operator() != null ? " on " + now.operator() : ""));
          }
        } catch (IOException ignored) {
          // the data step below says what failed
        }
        report.fail(
            "data",
            e.getMessage(),
            "the network refused mobile data: check modem.apn ('"
                + config.modem().apn()
                + "'), and modem.apn-user/password if the provider needs them; the provider's"
                + " web site lists the APN");
        skipRest(5);
      }
      return;
    } catch (IOException e) {
      report.fail(
          "registration",
          "the modem stopped answering while coming up: " + e.getMessage(),
          "power-cycle the modem and run the check again");
      skipRest(4);
      return;
    }
    report.ok(
        "registration",
        "registered"
            + (h.operator() != null ? " on " + h.operator() : "")
            + (h.accessTechnology() != null ? " (" + h.accessTechnology() + ")" : ""));
    report.ok(
        "data", "mobile data is up" + (h.ipAddress() != null ? ", address " + h.ipAddress() : ""));
    smtp(modem.socketFactory(), "through the modem");
  }

  private void smtpOverInterface() {
    java.net.InetAddress bind = config.bindAddress();
    SocketFactory f =
        new SocketFactory() {
          @Override
          public Socket createSocket() throws IOException {
            Socket s = new Socket();
            s.bind(new InetSocketAddress(bind, 0));
            return s;
          }

          @Override
          public Socket createSocket(String host, int port) throws IOException {
            Socket s = createSocket();
            s.connect(new InetSocketAddress(host, port), (int) wait.toMillis());
            return s;
          }

          @Override
          public Socket createSocket(
              String host, int port, java.net.InetAddress localHost, int localPort)
              throws IOException {
            return createSocket(host, port);
          }

          @Override
          public Socket createSocket(java.net.InetAddress host, int port) throws IOException {
            return createSocket(host.getHostAddress(), port);
          }

          @Override
          public Socket createSocket(
              java.net.InetAddress address,
              int port,
              java.net.InetAddress localAddress,
              int localPort)
              throws IOException {
            return createSocket(address.getHostAddress(), port);
          }
        };
    smtp(f, "from " + (bind == null ? "?" : bind.getHostAddress()));
  }

  /** Opens a TCP connection to the SMTP server and reads its greeting (over TLS for implicit). */
  private void smtp(SocketFactory sockets, String how) {
    String host = config.smtp().host();
    int port = config.smtp().port();
    if (host == null) {
      report.warn(
          "SMTP server",
          "no SMTP server is configured, so none was tried",
          "set smtp.host (and smtp.username/password) to send mail over this path");
      return;
    }
    try (Socket raw = sockets.createSocket(host, port)) {
      raw.setSoTimeout((int) wait.toMillis());
      Socket s = raw;
      if (config.smtp().tls() == SmtpSettings.TlsMode.IMPLICIT) {
        SSLSocket tls =
            (SSLSocket)
                ((SSLSocketFactory) SSLSocketFactory.getDefault())
                    .createSocket(raw, host, port, false);
        javax.net.ssl.SSLParameters p = tls.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        tls.setSSLParameters(p);
        tls.startHandshake();
        s = tls;
      }
      BufferedReader in =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
      String greeting = in.readLine();
      if (greeting == null || !greeting.startsWith("220")) {
        report.fail(
            "SMTP server",
            host
                + ":"
                + port
                + " answered "
                + (greeting == null ? "nothing" : "'" + greeting + "'")
                + " instead of an SMTP greeting",
            "check smtp.host, smtp.port and smtp.tls (" + config.smtp().tls() + ")");
        return;
      }
      s.getOutputStream().write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      report.ok(
          "SMTP server", host + ":" + port + " answered " + how + ": " + truncate(greeting, 80));
    } catch (IOException e) {
      report.fail(
          "SMTP server",
          "no SMTP connection to " + host + ":" + port + " " + how + ": " + e.getMessage(),
          "check smtp.host and smtp.port; some mobile networks block port 25, so use 587"
              + " (starttls) or 465 (implicit)");
    }
  }

  private static String truncate(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n) + "...";
  }

  private boolean portUsable(Path p) {
    if (!Files.exists(p)) {
      report.fail(
          "port",
          p + " does not exist",
          "plug the modem in and wait a few seconds; 'ls /dev/ttyUSB* /dev/serial/by-id/' shows"
              + " the ports it created. USB modems expose several; the AT port is usually the"
              + " third (interface 2, e.g. /dev/ttyUSB2)");
      return false;
    }
    if (!Files.isReadable(p) || !Files.isWritable(p)) {
      report.fail(
          "port",
          p + " exists but this user may not open it",
          "add the user to the group that owns it (usually dialout: 'sudo usermod -aG dialout "
              + System.getProperty("user.name", "$USER")
              + "', then log in again)");
      return false;
    }
    return true;
  }

  private void skipTo(int index, String why) {
    for (int i = 0; i < index; i++) {
      report.skipped(STEPS.get(i), why);
    }
  }

  private void skipRest(int from) {
    for (int i = from; i < STEPS.size(); i++) {
      report.skipped(STEPS.get(i), "not checked: an earlier step failed");
    }
  }
}
