package io.twinpath.system;

import static org.awaitility.Awaitility.await;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.twinpath.modemsim.Dialect;
import io.twinpath.modemsim.ModemSimulator;
import io.twinpath.modemsim.SimConfig;
import io.twinpath.system.StormPlan.Action;
import io.twinpath.system.StormPlan.PathState;
import io.twinpath.system.StormPlan.Step;
import io.twinpath.testing.Fault;
import io.twinpath.testing.FaultProxy;
import io.twinpath.testing.FreePorts;
import io.twinpath.testing.MosquittoBroker;
import io.twinpath.testing.PtyPair;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * One storm against the real product, as an operator would make it: the real {@code twinpath-host}
 * daemon and {@code twinpath-dongle} (embedded broker, or an external Mosquitto), the dongle
 * driving the simulated SIM7600 on a pty whose sockets reach the mail server (GreenMail in this
 * JVM, on loopback) directly, the laptop's own path to the same server through a {@link
 * FaultProxy}. Messages of about 11 KB are submitted with the real {@code twinpath-host sendmail}
 * (the launcher script), each exit status recorded, while the {@link StormPlan} kills and starts
 * the daemons and flips the path. Then every part runs, the path is healthy, and the storm waits up
 * to 60 s for both spools to drain before it counts what {@link StormResult} reports.
 *
 * <p>Everything binds to loopback; the mail server and the proxy to port 0, the brokers to a port
 * picked free once (a broker must come back on the same port). Each process incarnation writes its
 * own log in the run's directory ({@code host-03.log}, {@code dongle-02.log}), next to {@code
 * storm.log}, the steps as they ran.
 */
final class Storm {
  static final int MESSAGE_BYTES = 11 * 1024;
  static final Duration DRAIN = Duration.ofSeconds(60);

  /** How long both devices must stay idle to count as drained. */
  static final Duration QUIET = Duration.ofSeconds(3);

  private static final Duration SENDMAIL_TIMEOUT = Duration.ofSeconds(150);
  private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(20);

  /**
   * At most this many {@code sendmail} processes at a time ({@code -Dstorm.sendmails=N}): each is a
   * Java start, and on a small machine an unbounded pile of them measures the machine, not the
   * product. A submission waits for a free slot; {@code storm.log} shows when each ran.
   */
  static final int SENDMAILS = Integer.getInteger("storm.sendmails", 4);

  private static final Gson GSON = new Gson();

  private final String label;
  private final StormPlan plan;
  private final Path dir;
  private final Path log;
  private final long t0Nanos = System.nanoTime();
  private volatile long chaosStartNanos;

  private Storm(String label, StormPlan plan, Path dir) {
    this.label = label;
    this.plan = plan;
    this.dir = dir;
    this.log = dir.resolve("storm.log");
  }

  /**
   * Runs one storm in {@code dir} (created; left in place with every log) and measures it.
   *
   * @param label the run's name in the table, e.g. {@code run 1}
   */
  static StormResult run(String label, StormPlan plan, Path dir) throws Exception {
    Files.createDirectories(dir);
    return new Storm(label, plan, dir).go();
  }

  private StormResult go() throws Exception {
    note("plan " + plan.summary());
    for (Step s : plan.steps()) {
      note("plan " + s);
    }
    Path root = Path.of(System.getProperty("twinpath.root", ".."));
    Path launcher = root.resolve("host-agent/src/main/dist/twinpath-host");
    Path hostJar = AppProcess.jar("host-agent", "twinpath-host-agent");
    Path dongleJar = AppProcess.jar("dongle-app", "twinpath-dongle-app");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    GreenMail mail = new GreenMail(new ServerSetup(3025, "127.0.0.1", "smtp").dynamicPort());
    mail.start();
    MosquittoBroker mosquitto = plan.externalBroker() ? MosquittoBroker.start() : null;
    try (PtyPair pty = PtyPair.open();
        ModemSimulator sim =
            ModemSimulator.attach(pty.b().toString(), SimConfig.builder(Dialect.SIM7600).build());
        FaultProxy hostPath = FaultProxy.to("127.0.0.1", mail.getSmtp().getPort())) {
      int brokerPort = mosquitto != null ? mosquitto.port() : FreePorts.pick();
      Path hostHome = Files.createDirectories(dir.resolve("host"));
      Path dongleHome = Files.createDirectories(dir.resolve("dongle"));
      Path hostConf = hostHome.resolve("host.conf");
      Path dongleConf = dongleHome.resolve("dongle.conf");
      Files.writeString(
          hostConf,
          String.join(
              "\n",
              "account storm",
              "host 127.0.0.1",
              "port " + hostPath.port(),
              "tls off",
              "timeout 3s",
              "from alice@twinpath.test",
              "",
              "twinpath",
              "account storm",
              "device laptop",
              "peers dongle",
              "broker tcp://127.0.0.1:" + brokerPort,
              "data_dir " + hostHome.resolve("data"),
              "maildir " + hostHome.resolve("Maildir"),
              "backoff 1s",
              "backoff_max 5s",
              ""),
          StandardCharsets.UTF_8);
      List<String> dongleLines =
          new ArrayList<>(
              List.of(
                  "device.id = dongle",
                  "peers = laptop",
                  "data.dir = " + dongleHome.resolve("data"),
                  "takeover.delay = 3s",
                  "modem.port = " + pty.a(),
                  "modem.dialect = sim7600",
                  "modem.apn = internet",
                  "modem.poll = 1s",
                  "smtp.host = 127.0.0.1",
                  "smtp.port = " + mail.getSmtp().getPort(),
                  "smtp.tls = none"));
      if (mosquitto != null) {
        dongleLines.add("broker = " + mosquitto.url());
      } else {
        dongleLines.add("broker.address = 127.0.0.1");
        dongleLines.add("broker.port = " + brokerPort);
      }
      Files.writeString(dongleConf, String.join("\n", dongleLines) + "\n", StandardCharsets.UTF_8);

      Map<String, String> hostEnv = new HashMap<>();
      hostEnv.put("HOME", hostHome.toString());
      hostEnv.put("XDG_CONFIG_HOME", hostHome.resolve("config").toString());
      hostEnv.put("XDG_DATA_HOME", hostHome.resolve("share").toString());
      hostEnv.put("TWINPATH_HOST_JAR", hostJar.toString());
      hostEnv.put("JAVA", java);
      Map<String, String> dongleEnv = Map.of("HOME", dongleHome.toString());
      List<String> host = List.of("/bin/sh", launcher.toString());
      List<String> dongle = AppProcess.java(dongleJar, List.of("-Xmx64m"), List.of());

      // pairing, as a user does it
      String hostKey = publicKey(cmd(plus(host, "pair", "--config", hostConf), hostEnv));
      String dongleKey = publicKey(cmd(plus(dongle, "pair", "--config", dongleConf), dongleEnv));
      cmd(plus(dongle, "pair", "--config", dongleConf, "laptop", hostKey), dongleEnv);
      cmd(plus(host, "pair", "--config", hostConf, "dongle", dongleKey), hostEnv);

      Daemon dongleDaemon =
          new Daemon("dongle", plus(dongle, "run", "--config", dongleConf), daemonEnv(dongleEnv));
      Daemon hostDaemon =
          new Daemon("host", plus(host, "run", "--config", hostConf), daemonEnv(hostEnv));
      Chaos chaos = new Chaos(hostDaemon, dongleDaemon, mosquitto, hostPath);
      try {
        dongleDaemon.start();
        hostDaemon.start();
        await("both daemons up")
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(100))
            .until(
                () ->
                    dongleDaemon.output().contains("running")
                        && hostDaemon.output().contains("running"));
        note("both daemons running");

        List<String> sendmail = plus(host, "sendmail", "-C", hostConf, "-t", "-i", "-v");
        List<Submission> submissions = chaos.run(sendmail, hostEnv);
        // the drain is counted from the end of the chaos, or from the last sendmail when the
        // machine could not start them as fast as planned and they outlasted it
        long endNanos = Math.max(chaos.endNanos, chaos.lastSendmailNanos);
        note(
            String.format(
                Locale.ROOT,
                "chaos over; every sendmail finished, the last %.1f s after the chaos",
                Math.max(0, chaos.lastSendmailNanos - chaos.endNanos) / 1e9));

        // the drain: both spools empty (items and copies) and no unfinished engine record on
        // either device, and still so QUIET later (a device working through the commands its
        // broker kept for it while it was away may take up items again: that is not drained yet)
        Path hostSpool = hostHome.resolve("data").resolve("spool");
        Path dongleSpool = dongleHome.resolve("data").resolve("spool");
        Double drained = null;
        long deadline = endNanos + DRAIN.toNanos();
        long[] quietSince = {0};
        try {
          await("both devices drained")
              .atMost(Duration.ofNanos(Math.max(1, deadline - System.nanoTime()) + QUIET.toNanos()))
              .pollInterval(Duration.ofMillis(200))
              .until(
                  () -> {
                    long now = System.nanoTime();
                    boolean idle =
                        queued(hostSpool) + queued(dongleSpool) == 0
                            && unfinished(hostHome) + unfinished(dongleHome) == 0;
                    if (!idle) {
                      quietSince[0] = 0;
                    } else if (quietSince[0] == 0 && now <= deadline) {
                      quietSince[0] = now;
                    }
                    return quietSince[0] != 0 && now - quietSince[0] >= QUIET.toNanos();
                  });
          drained = Math.max(0, quietSince[0] - endNanos) / 1e9;
        } catch (ConditionTimeoutException e) {
          // not drained within 60 s: reported as such
        }
        chaos.watchdog(false);
        note(drained == null ? "not drained in 60 s" : "drained " + drained + " s after the chaos");

        // what each device says
        JsonObject hostStatus =
            status("twinpath-host", plus(host, "status", "--json", "--config", hostConf), hostEnv);
        if (hostStatus == null) {
          chaos.incidents.add("twinpath-host status --json gave no document (see storm.log)");
          hostStatus = new JsonObject();
        }
        JsonObject dongleStatus =
            status(
                "twinpath-dongle",
                plus(dongle, "status", "--json", "--config", dongleConf),
                dongleEnv);
        Files.writeString(
            dir.resolve("host-status.json"), String.valueOf(hostStatus), StandardCharsets.UTF_8);
        Files.writeString(
            dir.resolve("dongle-status.json"),
            String.valueOf(dongleStatus),
            StandardCharsets.UTF_8);

        note(
            "modem: "
                + sim.tcpBytesSent()
                + " bytes sent over its sockets; laptop path: "
                + hostPath.connections()
                + " connections, "
                + hostPath.bytesUpstream()
                + " bytes up");
        Map<String, Integer> delivered = new TreeMap<>();
        for (MimeMessage m : mail.getReceivedMessages()) {
          delivered.merge(messageId(m), 1, Integer::sum);
        }
        return measure(
            submissions,
            delivered,
            hostStatus,
            dongleStatus,
            hostHome,
            dongleHome,
            drained,
            chaos.incidents,
            String.format(
                Locale.ROOT,
                "the chaos ran %.1f s: %d host kills, %d dongle kills%s, %d path flips",
                (chaos.endNanos - chaosStartNanos) / 1e9,
                chaos.ran.getOrDefault(Action.KILL_HOST, 0),
                chaos.ran.getOrDefault(Action.KILL_DONGLE, 0),
                plan.externalBroker()
                    ? ", " + chaos.ran.getOrDefault(Action.KILL_BROKER, 0) + " broker kills"
                    : "",
                chaos.ran.getOrDefault(Action.PATH, 0)));
      } finally {
        chaos.close();
        hostDaemon.stop();
        dongleDaemon.stop();
      }
    } finally {
      if (mosquitto != null) {
        mosquitto.close();
      }
      mail.stop();
    }
  }

  /** One message handed to {@code sendmail}. */
  static final class Submission {
    final int index;
    final String messageId;
    volatile int exit = Integer.MIN_VALUE;
    volatile String output = "";
    volatile @Nullable String itemId;
    volatile double seconds;
    volatile double endedAt;

    Submission(int index, String messageId) {
      this.index = index;
      this.messageId = messageId;
    }
  }

  /** The steps of the plan and the submissions, run on time; a watchdog for unplanned deaths. */
  private final class Chaos implements AutoCloseable {
    private final Daemon host;
    private final Daemon dongle;
    private final @Nullable MosquittoBroker mosquitto;
    private final FaultProxy path;
    private final ScheduledExecutorService clock =
        Executors.newSingleThreadScheduledExecutor(r -> thread(r, "storm-clock"));
    private final ExecutorService senders =
        Executors.newFixedThreadPool(SENDMAILS, r -> thread(r, "storm-sendmail"));
    private final List<String> incidents =
        java.util.Collections.synchronizedList(new ArrayList<>());
    private volatile boolean brokerWanted = true;
    private volatile boolean watching = true;
    private volatile long endNanos;
    private volatile long lastSendmailNanos;
    private final java.util.concurrent.atomic.AtomicInteger finished =
        new java.util.concurrent.atomic.AtomicInteger();
    final Map<Action, Integer> ran = new java.util.concurrent.ConcurrentHashMap<>();

    Chaos(Daemon host, Daemon dongle, @Nullable MosquittoBroker mosquitto, FaultProxy path) {
      this.host = host;
      this.dongle = dongle;
      this.mosquitto = mosquitto;
      this.path = path;
    }

    List<Submission> run(List<String> sendmail, Map<String, String> env) throws Exception {
      CountDownLatch ended = new CountDownLatch(1);
      List<Submission> submissions = new ArrayList<>();
      chaosStartNanos = System.nanoTime();
      for (int i = 0; i < plan.submissions().size(); i++) {
        Submission s = new Submission(i, "<storm-" + plan.seed() + "-" + i + "@twinpath.test>");
        submissions.add(s);
        byte[] message = message(plan.seed(), s);
        clock.schedule(
            () -> senders.execute(() -> submit(sendmail, env, s, message)),
            plan.submissions().get(i),
            TimeUnit.MILLISECONDS);
      }
      Step end = plan.steps().get(plan.steps().size() - 1);
      for (Step step : plan.steps()) {
        clock.schedule(
            () -> {
              if (ended.getCount() == 0) {
                return; // the chaos is over: the rest of the plan is not needed
              }
              // past the window, the first chaos step after the last sendmail ends the chaos
              boolean over =
                  step.action() == Action.END
                      || (isChaos(step.action())
                          && step.atMillis() >= plan.chaosMillis()
                          && finished.get() == plan.submissions().size());
              Step now = over ? new Step(step.atMillis(), Action.END, end.path()) : step;
              try {
                apply(now);
                if (!over) {
                  ran.merge(step.action(), 1, Integer::sum);
                }
              } catch (RuntimeException e) {
                incidents.add(now + " failed: " + e.getMessage());
                note(now + " failed: " + e);
              } finally {
                if (over) {
                  endNanos = System.nanoTime();
                  ended.countDown();
                }
              }
            },
            step.atMillis(),
            TimeUnit.MILLISECONDS);
      }
      clock.scheduleWithFixedDelay(this::check, 500, 500, TimeUnit.MILLISECONDS);
      if (!ended.await(plan.endMillis() + 120_000, TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("the storm's steps did not finish on time");
      }
      senders.shutdown();
      long backlog = (long) plan.submissions().size() * SENDMAIL_TIMEOUT.toSeconds() / SENDMAILS;
      if (!senders.awaitTermination(backlog + 30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("sendmail runs did not finish");
      }
      return submissions;
    }

    private void submit(List<String> sendmail, Map<String, String> env, Submission s, byte[] m) {
      long start = System.nanoTime();
      try {
        AppProcess.Result r = AppProcess.run(sendmail, env, m, SENDMAIL_TIMEOUT);
        s.output = r.output;
        s.exit = r.status;
        Matcher q = Pattern.compile("queued (\\S+) for").matcher(r.output);
        if (q.find()) {
          s.itemId = q.group(1);
        }
      } catch (RuntimeException e) {
        s.exit = -1;
        s.output = String.valueOf(e.getMessage());
      }
      long now = System.nanoTime();
      s.seconds = (now - start) / 1e9;
      s.endedAt = (now - chaosStartNanos) / 1e9;
      synchronized (this) {
        lastSendmailNanos = Math.max(lastSendmailNanos, now);
      }
      finished.incrementAndGet();
      note(
          String.format(
              Locale.ROOT,
              "sendmail %d exit %d in %.1f s%s",
              s.index,
              s.exit,
              s.seconds,
              s.exit == 0 ? "" : ": " + s.output.strip().replace('\n', ' ')));
    }

    private void apply(Step step) {
      note("step " + step);
      switch (step.action()) {
        case KILL_HOST -> host.kill();
        case START_HOST -> host.start();
        case KILL_DONGLE -> dongle.kill();
        case START_DONGLE -> dongle.start();
        case KILL_BROKER -> {
          brokerWanted = false;
          if (mosquitto != null) {
            mosquitto.kill();
          }
        }
        case START_BROKER -> {
          brokerWanted = true;
          startBroker();
        }
        case PATH -> flip(step.path());
        case END -> {
          flip(PathState.HEALTHY);
          brokerWanted = true;
          if (mosquitto != null && !mosquitto.isRunning()) {
            startBroker();
          }
          if (!host.wanted) {
            host.start();
          }
          if (!dongle.wanted) {
            dongle.start();
          }
        }
      }
    }

    private void startBroker() {
      if (mosquitto != null) {
        mosquitto.restart();
        note("mosquitto listening again on " + mosquitto.port());
      }
    }

    private void flip(PathState state) {
      Fault fault =
          switch (state) {
            case HEALTHY -> Fault.none();
            case REFUSED -> Fault.refuse();
            case BLACK_HOLE -> Fault.blackHole();
          };
      try {
        path.set(fault);
      } catch (UncheckedIOException e) {
        // the port could not be taken again at once: close what is half switched, then retry
        String what = "path " + state + " not set at once: " + e.getMessage();
        note(what + (e.getCause() == null ? "" : " (" + e.getCause() + ")"));
        incidents.add(what + "; retried");
        await("the path switched to " + state)
            .atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(100))
            .ignoreException(UncheckedIOException.class)
            .until(
                () -> {
                  path.set(Fault.refuse());
                  path.set(fault);
                  return true;
                });
      }
      switch (state) {
        case REFUSED -> path.resetAll(); // the open sessions end as a refusing path ends them
        case BLACK_HOLE -> path.stallAll(); // and what was open goes silent
        case HEALTHY -> {}
      }
    }

    void watchdog(boolean on) {
      watching = on;
    }

    /** A daemon (or broker) that died without being killed is counted and started again. */
    private void check() {
      if (!watching) {
        return;
      }
      for (Daemon d : List.of(host, dongle)) {
        if (d.wanted && !d.isUp()) {
          String what =
              d.name
                  + " exited on its own with status "
                  + d.exitStatus()
                  + " ("
                  + d.logName()
                  + ")";
          incidents.add(what);
          note(what + "; starting it again");
          d.start();
        }
      }
      if (mosquitto != null && brokerWanted && !mosquitto.isRunning()) {
        incidents.add("mosquitto was not running");
        note("mosquitto was not running; starting it again");
        try {
          startBroker();
        } catch (RuntimeException e) {
          note("mosquitto did not start: " + e.getMessage());
        }
      }
    }

    @Override
    public void close() {
      watching = false;
      clock.shutdownNow();
      senders.shutdownNow();
      try {
        clock.awaitTermination(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** One of the two daemons, across its incarnations: {@code host-01.log}, {@code host-02.log}. */
  private final class Daemon {
    final String name;
    private final List<String> command;
    private final Map<String, String> env;
    private int incarnation;
    private @Nullable AppProcess current;
    volatile boolean wanted;

    Daemon(String name, List<String> command, Map<String, String> env) {
      this.name = name;
      this.command = command;
      this.env = env;
    }

    synchronized void start() {
      incarnation++;
      current = AppProcess.start(logName(), command, env, dir);
      wanted = true;
      note("started " + logName() + ", pid " + current.pid());
    }

    synchronized void kill() {
      wanted = false;
      AppProcess p = current;
      if (p != null) {
        boolean alive = p.isAlive();
        p.kill();
        note(
            "kill -9 "
                + logName()
                + ", pid "
                + p.pid()
                + (alive ? "" : " (had already exited with " + p.exitStatus() + ")"));
      }
    }

    synchronized void stop() {
      wanted = false;
      AppProcess p = current;
      if (p != null) {
        p.close();
      }
    }

    synchronized boolean isUp() {
      AppProcess p = current;
      return p != null && p.isAlive();
    }

    synchronized int exitStatus() {
      AppProcess p = current;
      return p == null ? -1 : p.exitStatus();
    }

    synchronized String output() {
      AppProcess p = current;
      return p == null ? "" : p.output();
    }

    String logName() {
      return String.format(Locale.ROOT, "%s-%02d", name, incarnation);
    }
  }

  private static boolean isChaos(Action a) {
    return a == Action.KILL_HOST
        || a == Action.KILL_DONGLE
        || a == Action.KILL_BROKER
        || a == Action.PATH;
  }

  /** Counts the rows of the table from what the storm left. */
  private StormResult measure(
      List<Submission> submissions,
      Map<String, Integer> delivered,
      JsonObject hostStatus,
      @Nullable JsonObject dongleStatus,
      Path hostHome,
      Path dongleHome,
      @Nullable Double drained,
      List<String> incidents,
      String ran)
      throws IOException {
    Path hostSpool = hostHome.resolve("data").resolve("spool");
    Path dongleSpool = dongleHome.resolve("data").resolve("spool");

    // item id -> Message-ID, from sendmail -v, the spools and the engine records of both devices
    Map<String, String> messageOf = new HashMap<>();
    for (Submission s : submissions) {
      if (s.itemId != null) {
        messageOf.put(s.itemId, s.messageId);
      }
    }
    Map<String, JsonObject> hostRecords = records(hostHome);
    Map<String, JsonObject> dongleRecords = records(dongleHome);
    for (Map<String, JsonObject> records : List.of(hostRecords, dongleRecords)) {
      records.forEach(
          (id, r) -> {
            JsonObject meta = obj(r, "meta");
            if (meta.has("messageId")) {
              messageOf.putIfAbsent(id, meta.get("messageId").getAsString());
            }
          });
    }
    for (Map.Entry<String, Map<String, JsonObject>> device :
        Map.of("host", hostRecords, "dongle", dongleRecords).entrySet()) {
      List<String> open =
          device.getValue().entrySet().stream()
              .filter(e -> !"DONE".equals(str(e.getValue(), "phase")))
              .map(e -> e.getKey() + " " + phase(e.getValue()))
              .sorted()
              .toList();
      if (!open.isEmpty()) {
        incidents.add(
            "after the drain the "
                + device.getKey()
                + " keeps "
                + open.size()
                + " unfinished engine record(s): "
                + String.join("; ", open));
      }
    }
    Map<String, List<String>> hostQueued = spoolEntries(hostSpool, messageOf);
    Map<String, List<String>> dongleQueued = spoolEntries(dongleSpool, messageOf);

    // flags per item: the host's status (which merges the peer's) and the dongle's own
    Map<String, Integer> flags = new HashMap<>();
    for (JsonElement e : arr(hostStatus, "duplicates")) {
      JsonObject d = e.getAsJsonObject();
      flags.merge(d.get("id").getAsString(), intOf(d, "possibleDuplicates"), Math::max);
    }
    for (JsonElement e : arr(hostStatus, "queue")) {
      JsonObject q = e.getAsJsonObject();
      flags.merge(q.get("id").getAsString(), intOf(q, "possibleDuplicates"), Math::max);
      if (q.has("messageId")) {
        messageOf.putIfAbsent(q.get("id").getAsString(), q.get("messageId").getAsString());
      }
    }
    long hostFlags = intOf(hostStatus, "possibleDuplicates");
    Long dongleFlags = null;
    if (dongleStatus != null) {
      JsonObject engine = obj(dongleStatus, "status");
      if (engine.has("possibleDuplicates")) {
        dongleFlags = (long) intOf(engine, "possibleDuplicates");
      }
      for (String list : List.of("queue", "recent")) {
        for (JsonElement e : arr(engine, list)) {
          JsonObject o = e.getAsJsonObject();
          flags.merge(o.get("item").getAsString(), intOf(o, "possibleDuplicates"), Math::max);
        }
      }
    }
    Map<String, Set<String>> itemsOf = new HashMap<>();
    messageOf.forEach((id, mid) -> itemsOf.computeIfAbsent(mid, k -> new TreeSet<>()).add(id));

    StormResult.Builder b = StormResult.builder(label, plan);
    b.submitted = submissions.size();
    List<String> details = new ArrayList<>();
    for (Submission s : submissions) {
      int copies = delivered.getOrDefault(s.messageId, 0);
      Set<String> items = itemsOf.getOrDefault(s.messageId, Set.of());
      boolean queuedSomewhere =
          hostQueued.containsKey(s.messageId) || dongleQueued.containsKey(s.messageId);
      int itemFlags = items.stream().mapToInt(i -> flags.getOrDefault(i, 0)).sum();
      b.flagsCounted += itemFlags;
      if (s.exit == 0) {
        b.accepted++;
      } else if (copies > 0) {
        b.failedButDelivered++;
        b.failedExits.add(s.exit);
      }
      String problem = null;
      if (copies > 1) {
        b.duplicated++;
        if (itemFlags == 0) {
          b.unflaggedDuplicates++;
          problem = "delivered " + copies + " times, never flagged";
        } else {
          problem = "delivered " + copies + " times, flagged " + itemFlags;
        }
      }
      if (s.exit == 0 && copies == 0) {
        if (queuedSomewhere) {
          b.stuck++;
          problem = "accepted, not delivered, still queued";
        } else {
          b.lost++;
          problem = "accepted, never delivered, queued nowhere";
        }
      }
      if (s.exit != 0 && copies > 0) {
        problem =
            (problem == null ? "" : problem + "; ") + "sendmail exit " + s.exit + " yet delivered";
      }
      if (problem != null) {
        details.add(
            detail(s, items, problem, hostRecords, dongleRecords, hostQueued, dongleQueued));
      }
    }
    b.hostFlags = hostFlags;
    b.dongleFlags = dongleFlags;
    b.hostLeftover = count(hostSpool, "items") + count(hostSpool, "incoming");
    b.dongleLeftover = count(dongleSpool, "items") + count(dongleSpool, "incoming");
    b.quarantined = quarantined(hostSpool) + quarantined(dongleSpool);
    b.deliveredStillQueued =
        (int)
            Stream.concat(hostQueued.keySet().stream(), dongleQueued.keySet().stream())
                .distinct()
                .filter(m -> delivered.getOrDefault(m, 0) > 0)
                .count();
    b.drainedSeconds = drained;
    b.ran = ran;
    b.incidents.addAll(incidents);
    b.details.addAll(details);
    b.directory = dir;
    b.sendmailSeconds = submissions.stream().mapToDouble(s -> s.seconds).max().orElse(0);
    b.submittedOver = submissions.stream().mapToDouble(s -> s.endedAt).max().orElse(0);
    StormResult r = b.build();
    note("result\n" + StormResult.table(List.of(r)) + "\n" + String.join("\n", r.details()));
    return r;
  }

  private static String detail(
      Submission s,
      Set<String> items,
      String problem,
      Map<String, JsonObject> hostRecords,
      Map<String, JsonObject> dongleRecords,
      Map<String, List<String>> hostQueued,
      Map<String, List<String>> dongleQueued) {
    StringBuilder d = new StringBuilder();
    d.append(s.messageId).append(" (sendmail exit ").append(s.exit).append("): ").append(problem);
    for (String id : items) {
      d.append("\n    item ").append(id);
      d.append("; host ").append(phase(hostRecords.get(id)));
      d.append("; dongle ").append(phase(dongleRecords.get(id)));
    }
    if (hostQueued.containsKey(s.messageId)) {
      d.append("\n    host spool: ").append(hostQueued.get(s.messageId));
    }
    if (dongleQueued.containsKey(s.messageId)) {
      d.append("\n    dongle spool: ").append(dongleQueued.get(s.messageId));
    }
    return d.toString();
  }

  private static String phase(@Nullable JsonObject r) {
    if (r == null) {
      return "no record";
    }
    StringBuilder b = new StringBuilder(str(r, "phase"));
    b.append(" epoch ").append(str(r, "epoch"));
    b.append(", holder ").append(str(r, "holder"));
    if (r.has("duplicates")) {
      b.append(", duplicates ").append(str(r, "duplicates"));
    }
    if (r.has("result")) {
      b.append(", ").append(str(r, "result")).append(" via ").append(str(r, "path"));
    }
    return b.toString();
  }

  /** Spool entries (items and incoming copies) per Message-ID: {@code items/ULID} etc. */
  private static Map<String, List<String>> spoolEntries(Path spool, Map<String, String> messageOf)
      throws IOException {
    Map<String, List<String>> m = new LinkedHashMap<>();
    for (String kind : List.of("items", "incoming")) {
      Path d = spool.resolve(kind);
      if (!Files.isDirectory(d)) {
        continue;
      }
      try (Stream<Path> s = Files.list(d)) {
        for (Path e : s.toList()) {
          String id = e.getFileName().toString();
          String mid = messageOf.get(id);
          Path meta = e.resolve("meta.json");
          if (Files.isRegularFile(meta)) {
            try {
              JsonObject o = GSON.fromJson(Files.readString(meta), JsonObject.class);
              if (o != null && o.has("messageId")) {
                mid = o.get("messageId").getAsString();
                messageOf.putIfAbsent(id, mid);
              }
            } catch (JsonParseException | IOException ignored) {
              // unreadable: counted under its id
            }
          }
          m.computeIfAbsent(mid == null ? id : mid, k -> new ArrayList<>()).add(kind + "/" + id);
        }
      }
    }
    return m;
  }

  /** The engine records a device keeps ({@code engine/<item>.json} under its home), by item id. */
  private static Map<String, JsonObject> records(Path home) throws IOException {
    Map<String, JsonObject> m = new HashMap<>();
    try (Stream<Path> s = Files.walk(home)) {
      for (Path f : s.toList()) {
        Path parent = f.getParent();
        String name = f.getFileName().toString();
        if (parent != null
            && parent.getFileName().toString().equals("engine")
            && name.endsWith(".json")) {
          try {
            JsonObject o = GSON.fromJson(Files.readString(f), JsonObject.class);
            if (o != null) {
              m.put(name.substring(0, name.length() - ".json".length()), o);
            }
          } catch (JsonParseException | IOException ignored) {
            // a record being replaced or damaged: left out
          }
        }
      }
    }
    return m;
  }

  /** Engine records of a device that are not finished. */
  static long unfinished(Path home) throws IOException {
    Path d = home.resolve("data").resolve("engine");
    if (!Files.isDirectory(d)) {
      return 0;
    }
    long n = 0;
    try (Stream<Path> s = Files.list(d)) {
      for (Path f : s.toList()) {
        if (!f.getFileName().toString().endsWith(".json")) {
          continue;
        }
        try {
          JsonObject o = GSON.fromJson(Files.readString(f), JsonObject.class);
          if (o != null && !"DONE".equals(str(o, "phase"))) {
            n++;
          }
        } catch (JsonParseException | IOException ignored) {
          n++; // being replaced: not finished as far as anyone can tell
        }
      }
    }
    return n;
  }

  /** Items and incoming copies in a spool. */
  static long queued(Path spool) throws IOException {
    return count(spool, "items") + count(spool, "incoming");
  }

  private static long count(Path spool, String kind) throws IOException {
    Path d = spool.resolve(kind);
    if (!Files.isDirectory(d)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(d)) {
      return s.count();
    }
  }

  private static long quarantined(Path spool) throws IOException {
    Path d = spool.resolve("quarantine");
    if (!Files.isDirectory(d)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(d)) {
      return s.filter(p -> !p.getFileName().toString().endsWith(".reason.txt")).count();
    }
  }

  /** A message of about {@link #MESSAGE_BYTES}, with its own Message-ID. */
  static byte[] message(long seed, Submission s) {
    StringBuilder m = new StringBuilder();
    m.append("From: alice@twinpath.test\r\n");
    m.append("To: bob@twinpath.test\r\n");
    m.append("Subject: storm ").append(seed).append(" message ").append(s.index).append("\r\n");
    m.append("Message-ID: ").append(s.messageId).append("\r\n");
    m.append("\r\n");
    String line = "The storm goes on; this line fills the message to about eleven kilobytes.\r\n";
    while (m.length() + line.length() <= MESSAGE_BYTES) {
      m.append(line);
    }
    return m.toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static String messageId(MimeMessage m) {
    try {
      String id = m.getMessageID();
      return id == null ? "(none)" : id.strip();
    } catch (MessagingException e) {
      return "(unreadable)";
    }
  }

  private void note(String line) {
    String stamped =
        String.format(
            Locale.ROOT,
            "%8.3f %s%n",
            (System.nanoTime() - (chaosStartNanos == 0 ? t0Nanos : chaosStartNanos)) / 1e9,
            line);
    synchronized (log) {
      try {
        Files.writeString(
            log,
            stamped,
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static Thread thread(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  private static String cmd(List<String> command, Map<String, String> env) {
    return AppProcess.run(command, env, new byte[0]).ok(String.join(" ", command)).output;
  }

  private static List<String> plus(List<String> base, Object... more) {
    List<String> c = new ArrayList<>(base);
    for (Object o : more) {
      c.add(o.toString());
    }
    return c;
  }

  /** What {@code status --json} prints, or null (noted in the storm log) when it gives none. */
  private @Nullable JsonObject status(String name, List<String> command, Map<String, String> env) {
    try {
      return json(AppProcess.run(command, env, new byte[0], STATUS_TIMEOUT));
    } catch (RuntimeException e) {
      note(name + " status: " + e.getMessage());
      return null;
    }
  }

  /**
   * The daemons' environment: with {@code -Dstorm.debug=true} their engines log every command
   * received and every transition (the logs a run that misses the target keeps).
   */
  private static Map<String, String> daemonEnv(Map<String, String> env) {
    if (!Boolean.getBoolean("storm.debug")) {
      return env;
    }
    Map<String, String> m = new HashMap<>(env);
    m.put(
        "JAVA_TOOL_OPTIONS", "-Dorg.slf4j.simpleLogger.log.io.twinpath.core.engine.internal=debug");
    return m;
  }

  private static String publicKey(String pairOutput) {
    Matcher m = Pattern.compile("public key\\s+(\\S+)").matcher(pairOutput);
    if (!m.find()) {
      throw new IllegalStateException("no public key in:\n" + pairOutput);
    }
    return m.group(1);
  }

  private static JsonObject json(AppProcess.Result r) {
    String out = r.output;
    int start = out.indexOf('{');
    if (start < 0) {
      throw new IllegalStateException("no JSON (exit " + r.status + "):\n" + out);
    }
    // one JSON value; log lines after it are left alone
    com.google.gson.stream.JsonReader reader =
        new com.google.gson.stream.JsonReader(new java.io.StringReader(out.substring(start)));
    JsonObject o = GSON.fromJson(reader, JsonObject.class);
    if (o == null) {
      throw new IllegalStateException("no JSON object (exit " + r.status + "):\n" + out);
    }
    return o;
  }

  private static JsonObject obj(JsonObject o, String key) {
    JsonElement e = o.get(key);
    return e != null && e.isJsonObject() ? e.getAsJsonObject() : new JsonObject();
  }

  private static JsonArray arr(JsonObject o, String key) {
    JsonElement e = o.get(key);
    return e != null && e.isJsonArray() ? e.getAsJsonArray() : new JsonArray();
  }

  private static int intOf(JsonObject o, String key) {
    JsonElement e = o.get(key);
    return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber() ? e.getAsInt() : 0;
  }

  private static String str(JsonObject o, String key) {
    JsonElement e = o.get(key);
    return e == null || e.isJsonNull() ? "-" : e.isJsonPrimitive() ? e.getAsString() : e.toString();
  }
}
