package io.twinpath.host.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinpath.core.DeviceId;
import io.twinpath.core.config.Secret;
import io.twinpath.core.config.SettingException;
import io.twinpath.core.smtp.SmtpSettings.TlsMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigLoaderTest {
  private static final XdgDirs DIRS =
      XdgDirs.of(Map.of("HOME", "/home/alice", "XDG_DATA_HOME", "/data"), "/");

  private static HostConfig parse(String text) throws ConfigException {
    return ConfigLoader.parse(text, Path.of("/etc/host.conf"), DIRS);
  }

  @Test
  void aFullFileGivesEveryValue() throws Exception {
    HostConfig c =
        parse(
            String.join(
                "\n",
                "# my mail",
                "defaults",
                "tls starttls",
                "timeout 20s",
                "",
                "account work",
                "host smtp.example.org",
                "user alice@example.org",
                "passwordeval pass show mail/work",
                "from alice@example.org",
                "",
                "account home : work",
                "host mail.home.example",
                "tls on",
                "password \"s3cret \\\"quoted\\\"\"",
                "",
                "twinpath",
                "account home",
                "device laptop-2",
                "peers dongle, gateway",
                "broker tcp://192.168.8.1:1883",
                "broker_user laptop",
                "broker_password hunter2",
                "broker_tls on",
                "spool ~/spool",
                "maildir /var/mail/alice",
                "listen 2525",
                "size_limit 10M",
                "expiry 2d",
                "backoff 10s",
                "backoff_max 5m",
                ""));
    assertThat(c.device()).isEqualTo(DeviceId.of("laptop-2"));
    assertThat(c.peers()).containsExactly(DeviceId.of("dongle"), DeviceId.of("gateway"));
    assertThat(c.deviceOrder()).hasSize(3);
    Account a = c.account();
    assertThat(a).isNotNull();
    assertThat(a.name()).isEqualTo("home");
    assertThat(a.host()).isEqualTo("mail.home.example");
    assertThat(a.tls()).isEqualTo(TlsMode.IMPLICIT);
    assertThat(a.port()).isEqualTo(465);
    assertThat(a.user()).isEqualTo("alice@example.org"); // inherited from work
    assertThat(a.from()).isEqualTo("alice@example.org");
    assertThat(a.timeout()).isEqualTo(Duration.ofSeconds(20)); // from defaults
    assertThat(a.password()).isNotNull();
    assertThat(a.password().isCommand()).isFalse();
    assertThat(new String(a.password().reveal())).isEqualTo("s3cret \"quoted\"");
    assertThat(c.broker().url()).isEqualTo("ssl://192.168.8.1:1883");
    assertThat(c.broker().tls()).isTrue();
    assertThat(c.spoolDir()).isEqualTo(Path.of("/home/alice/spool"));
    assertThat(c.maildir()).isEqualTo(Path.of("/var/mail/alice"));
    assertThat(c.listen()).isNotNull();
    assertThat(c.listen().getAddress().isLoopbackAddress()).isTrue();
    assertThat(c.listen().getPort()).isEqualTo(2525);
    assertThat(c.sizeLimit()).isEqualTo(10L * 1024 * 1024);
    assertThat(c.expiry()).isEqualTo(Duration.ofDays(2));
    assertThat(c.backoff()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.backoffMax()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.domain()).isEqualTo("example.org");
    assertThat(c.dataDir()).isEqualTo(Path.of("/data/twinpath"));
  }

  @Test
  void noFileMeansDefaultsInTheXdgDirectories(@TempDir Path tmp) throws Exception {
    XdgDirs dirs = XdgDirs.of(Map.of("HOME", tmp.toString()), "/");
    HostConfig c = ConfigLoader.load(null, dirs);
    assertThat(c.source()).isNull();
    assertThat(c.account()).isNull();
    assertThat(c.device()).isEqualTo(DeviceId.of("laptop"));
    assertThat(c.peers()).containsExactly(DeviceId.of("dongle"));
    assertThat(c.spoolDir()).isEqualTo(tmp.resolve(".local/share/twinpath/spool"));
    assertThat(c.maildir()).isEqualTo(tmp.resolve("Maildir"));
    assertThat(c.listen()).isNull();
    assertThat(c.sizeLimit()).isEqualTo(25L * 1024 * 1024);
    assertThat(c.broker().url()).isEqualTo("tcp://127.0.0.1:1883");
    assertThat(dirs.defaultConfigFile()).isEqualTo(tmp.resolve(".config/twinpath/host.conf"));
  }

  @Test
  void anExplicitFileMustExist(@TempDir Path tmp) {
    assertThatThrownBy(() -> ConfigLoader.load(tmp.resolve("nope.conf"), DIRS))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("nope.conf does not exist");
  }

  @Test
  void aFileIsReadFromDisk(@TempDir Path tmp) throws Exception {
    Path f = tmp.resolve("host.conf");
    Files.writeString(f, "account a\nhost localhost\nport 2525\ntls off\n");
    HostConfig c = ConfigLoader.load(f, DIRS);
    assertThat(c.source()).isEqualTo(f);
    assertThat(c.account().port()).isEqualTo(2525);
    assertThat(c.account().tls()).isEqualTo(TlsMode.NONE);
  }

  @Test
  void aFileThatIsNotUtf8IsNamed(@TempDir Path tmp) throws Exception {
    Path f = tmp.resolve("host.conf");
    Files.write(f, "account a\nhost h\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
    assertThatThrownBy(() -> ConfigLoader.load(f, DIRS)).hasMessageContaining("is not valid UTF-8");
  }

  @Test
  void passwordsNeverShowInToStringOrErrors() throws Exception {
    HostConfig c =
        parse(
            "account a\nhost h.example\nuser u\npassword hunter2\ntwinpath\nbroker_user b\n"
                + "broker_password swordfish\n");
    assertThat(c.toString()).doesNotContain("hunter2").doesNotContain("swordfish");
    assertThat(c.account().toString()).doesNotContain("hunter2");
    assertThat(c.broker().toString()).doesNotContain("swordfish");
    assertThatThrownBy(() -> parse("account a\nhost h\npassword hunter2\npassword hunter3\n"))
        .hasMessageNotContaining("hunter")
        .hasMessageContaining("host.conf:4: password = (hidden) is not accepted: it is set twice");
  }

  @Test
  void aPasswordCommandIsRunAndOnlyItsFirstLineUsed() throws Exception {
    HostConfig c =
        parse("account a\nhost h.example\nuser u\npasswordeval printf 'pw one\\nsecond'\n");
    Secret s = c.account().password();
    assertThat(s.isCommand()).isTrue();
    assertThat(new String(s.reveal())).isEqualTo("pw one");
    assertThat(s.toString()).doesNotContain("pw one").contains("host.conf:4");
  }

  @Test
  void aFailingPasswordCommandSaysSoWithoutItsOutput() throws Exception {
    HostConfig c = parse("account a\nhost h.example\nuser u\npasswordeval echo leaked; exit 3\n");
    assertThatThrownBy(() -> c.account().password().reveal())
        .hasMessageContaining("exited with status 3")
        .hasMessageNotContaining("leaked");
  }

  static Stream<Arguments> badFiles() {
    return Stream.of(
        Arguments.of(
            "host smtp.example.org\n",
            "host.conf:1: host = 'smtp.example.org' is not accepted: it comes before any block;"
                + " start with a 'defaults', 'account NAME'"),
        Arguments.of(
            "account a\nhost smtp.example.org\nport 99999\n",
            "host.conf:3: port = '99999' is not accepted: use a TCP port, 1-65535"),
        Arguments.of(
            "account a\nhost smtp.example.org\nport smtp\n",
            "host.conf:3: port = 'smtp' is not accepted: use a TCP port, 1-65535"),
        Arguments.of(
            "account a\nhost smtp.example.org\ntls yes\n",
            "host.conf:3: tls = 'yes' is not accepted: give starttls (upgrade a plain connection,"),
        Arguments.of(
            "account a\nhost smtp.example.org\ntls off\n",
            "host.conf:3: tls = 'off' is not accepted: with host smtp.example.org, mail and"
                + " password would cross the network in clear"),
        Arguments.of(
            "account a\nhost smtp example org\n",
            "host.conf:2: host = 'smtp example org' is not accepted: use a host name like"
                + " smtp.example.org or an IP address"),
        Arguments.of(
            "account a\nhost h.example\nfrom alice\n",
            "host.conf:3: from = 'alice' is not accepted: give a bare address like"
                + " alice@example.org"),
        Arguments.of(
            "account a\nhots h.example\n",
            "host.conf:2: hots = (hidden) is not accepted: unknown key in account 'a'; accepted"
                + " keys there: host, port, tls"),
        Arguments.of(
            "account a\nhost h.example\ntls_starttls on\n",
            "host.conf:3: tls_starttls = (hidden) is not accepted: it is an msmtp setting that"
                + " twinpath-host does not use; write 'tls starttls'"),
        Arguments.of(
            "account a\nhost h.example\nlogfile ~/.msmtp.log\n",
            "host.conf:3: logfile = (hidden) is not accepted: it is an msmtp setting that"
                + " twinpath-host does not use; remove it"),
        Arguments.of(
            "account a\nport 587\n",
            "host.conf:1: host is missing: account 'a' has no 'host'; add a line like 'host"
                + " smtp.example.org'"),
        Arguments.of(
            "account a\nhost h.example\naccount a\nhost h.example\n",
            "host.conf:3: account = 'a' is not accepted: account 'a' is defined twice (first on"
                + " line 1)"),
        Arguments.of(
            "account b : a\nhost h.example\n",
            "host.conf:1: account = 'b : a' is not accepted: it inherits from 'a', which is not"
                + " defined above it"),
        Arguments.of(
            "account a\nhost h.example\nuser u\npassword x\npasswordeval pass x\n",
            "host.conf:5: passwordeval = (hidden) is not accepted: account 'a' sets both"
                + " 'password' and 'passwordeval'; keep one"),
        Arguments.of(
            "account a\nhost h.example\npassword x\n",
            "host.conf:1: user is missing: account 'a' has a password but no 'user'"),
        Arguments.of(
            "account a\nhost h.example\naccount b\nhost i.example\n",
            "host.conf: account is missing: 2 accounts (a, b) and none is chosen; add 'account"
                + " NAME' to the 'twinpath' block or define 'account default : NAME'"),
        Arguments.of(
            "account a\nhost h.example\ntwinpath\naccount c\n",
            "host.conf:4: account = 'c' is not accepted: name one of the accounts defined in this"
                + " file: a"),
        Arguments.of(
            "twinpath\ndevice Laptop\n",
            "host.conf:2: device = 'Laptop' is not accepted: use 1-64 lower-case letters,"
                + " digits"),
        Arguments.of(
            "twinpath\npeers dongle dongle\n",
            "host.conf:2: peers = 'dongle dongle' is not accepted: name each peer once"),
        Arguments.of(
            "twinpath\npeers ,\n",
            "host.conf:2: peers = ',' is not accepted: name at least one peer"),
        Arguments.of(
            "twinpath\npeers laptop\n",
            "host.conf:2: peers = 'laptop' is not accepted: list the other devices only"),
        Arguments.of(
            "twinpath\nbroker http://x:1883\n",
            "host.conf:2: broker = 'http://x:1883' is not accepted: give tcp://HOST:PORT or,"
                + " with TLS, ssl://HOST:PORT"),
        Arguments.of(
            "twinpath\nbroker tcp://user:pw@x:1883\n",
            "(the user and password go in broker_user and broker_password)"),
        Arguments.of(
            "twinpath\nbroker ssl://x:8883\nbroker_tls off\n",
            "host.conf:3: broker_tls = 'off' is not accepted: the broker URL ssl://x:8883 asks"
                + " for TLS"),
        Arguments.of(
            "twinpath\nbroker_tls maybe\n",
            "host.conf:2: broker_tls = 'maybe' is not accepted: use on or off"),
        Arguments.of(
            "twinpath\nbroker_password pw\n",
            "host.conf:2: broker_user is missing: a broker password is set but no"
                + " 'broker_user'"),
        Arguments.of(
            "twinpath\nspool relative/dir\n",
            "host.conf:2: spool = 'relative/dir' is not accepted: give an absolute path or one"
                + " starting with ~/"),
        Arguments.of(
            "twinpath\nlisten 0.0.0.0:2525\n",
            "host.conf:2: listen = '0.0.0.0:2525' is not accepted: give off, a port (listens on"
                + " 127.0.0.1)"),
        Arguments.of("twinpath\nlisten 192.168.1.2:25\n", "only loopback addresses are allowed"),
        Arguments.of("twinpath\nlisten 70000\n", "host.conf:2: listen = '70000' is not accepted"),
        Arguments.of(
            "twinpath\nsize_limit 10 bananas\n",
            "host.conf:2: size_limit = '10 bananas' is not accepted: use a size like 512, 64k,"
                + " 20m or 1g (binary multiples: 1k = 1024 bytes; kb, kib, mb, mib, … too), from"
                + " 1KB to 1GB"),
        Arguments.of(
            "twinpath\nsize_limit 2G\n",
            "host.conf:2: size_limit = '2G' is not accepted: use a size like 512, 64k, 20m or"
                + " 1g (binary multiples: 1k = 1024 bytes; kb, kib, mb, mib, … too), from 1KB to"
                + " 1GB"),
        Arguments.of(
            "twinpath\nexpiry 5 weeks\n",
            "host.conf:2: expiry = '5 weeks' is not accepted: use a duration like 250ms, 30s,"
                + " 5m, 2h or 7d (a bare number is seconds), from 1m to 60d"),
        Arguments.of(
            "twinpath\nexpiry 30s\n",
            "host.conf:2: expiry = '30s' is not accepted: use a duration like 250ms, 30s, 5m, 2h"
                + " or 7d (a bare number is seconds), from 1m to 60d"),
        Arguments.of(
            "twinpath\ntakeover_delay 2d\n",
            "host.conf:2: takeover_delay = '2d' is not accepted: use a duration like 250ms, 30s,"
                + " 5m, 2h or 7d (a bare number is seconds), from 0s to 1d"),
        Arguments.of(
            "twinpath\nbackoff 5m\nbackoff_max 1m\n",
            "host.conf:3: backoff_max = '1m' is not accepted: backoff_max (1m) must be at least"
                + " backoff (5m)"),
        Arguments.of(
            "twinpath\nhost h.example\n",
            "host.conf:2: host = (hidden) is not accepted: unknown key in the 'twinpath' block"
                + " ('host' belongs in an account block)"),
        Arguments.of(
            "account a\nhost h.example\nlisten 2525\n",
            "host.conf:3: listen = (hidden) is not accepted: unknown key in account 'a' ('listen'"
                + " belongs in the 'twinpath' block)"),
        Arguments.of(
            "account a\nhost\n",
            "host.conf:2: host = '' is not accepted: use a host name like smtp.example.org"),
        Arguments.of(
            "account a\nhost h.example\npassword \"unterminated\n",
            "host.conf:3: password = (hidden) is not accepted: it has an opening quote but no"
                + " closing quote"),
        Arguments.of(
            "twinpath extra\n",
            "host.conf:1: twinpath = 'extra' is not accepted: it starts a block and takes no"
                + " value"),
        Arguments.of(
            "account bad name!\nhost h\n",
            "host.conf:1: account = 'bad name!' is not accepted: use 1-64 letters, digits and . _"
                + " @ + - for an account name"),
        Arguments.of(
            "twinpath\ndomain localhost\n",
            "host.conf:2: domain = 'localhost' is not accepted: give a domain name such as"
                + " example.org"),
        Arguments.of(
            "twinpath\ninbound imap4\n",
            "host.conf:2: inbound = 'imap4' is not accepted: give imap, pop3 or off"),
        Arguments.of(
            "twinpath\ninbound imap\n",
            "host.conf:2: inbound_host is missing: 'inbound imap' needs the mail server; add a"
                + " line like 'inbound_host"),
        Arguments.of(
            "twinpath\ninbound_host imap.example.org\n",
            "host.conf:2: inbound_host = 'imap.example.org' is not accepted: it is used only with"
                + " 'inbound imap' or 'inbound pop3'"),
        Arguments.of(
            "twinpath\ninbound pop3\ninbound_host pop.example.org\ninbound_port 0\n",
            "host.conf:4: inbound_port = '0' is not accepted: use a TCP port, 1-65535"),
        Arguments.of(
            "twinpath\ninbound pop3\ninbound_host pop.example.org\ninbound_tls maybe\n",
            "host.conf:4: inbound_tls = 'maybe' is not accepted: give on (TLS from the first"
                + " byte"),
        Arguments.of(
            "twinpath\ninbound imap\ninbound_host imap.example.org\ninbound_tls off\n"
                + "inbound_user bob\n",
            "host.conf:4: inbound_tls = 'off' is not accepted: TLS can be off only for a server"
                + " on this machine"),
        Arguments.of(
            "twinpath\ninbound imap\ninbound_host imap.example.org\n",
            "host.conf:2: inbound_user is missing: 'inbound imap' needs a login; add"
                + " 'inbound_user NAME'"),
        Arguments.of(
            "twinpath\ninbound imap\ninbound_host imap.example.org\ninbound_user bob\n"
                + "inbound_delete on\n",
            "host.conf:5: inbound_delete = 'on' is not accepted: it is for pop3 only"),
        Arguments.of(
            "twinpath\ninbound pop3\ninbound_host pop.example.org\ninbound_user bob\n"
                + "inbound_delete yes\n",
            "host.conf:5: inbound_delete = 'yes' is not accepted: use on or off"),
        Arguments.of(
            "twinpath\ninbound pop3\ninbound_host pop.example.org\ninbound_user bob\n"
                + "inbound_folder Archive\n",
            "host.conf:5: inbound_folder = 'Archive' is not accepted: it is for imap only"),
        Arguments.of(
            "twinpath\ninbound imap\ninbound_host imap.example.org\ninbound_user bob\n"
                + "inbound_poll 1s\n",
            "host.conf:5: inbound_poll = '1s' is not accepted: use a duration like 250ms, 30s,"
                + " 5m, 2h or 7d (a bare number is seconds), from 10s to 1h"),
        Arguments.of(
            "twinpath\ninbound imap\ninbound_host imap.example.org\ninbound_user bob\n"
                + "inbound_password a\ninbound_passwordeval echo b\n",
            "host.conf:6: inbound_passwordeval = (hidden) is not accepted: the 'twinpath' block"
                + " sets both 'inbound_password' and 'inbound_passwordeval'"),
        Arguments.of(
            "twinpath\ninbound_retention 2h\n",
            "host.conf:2: inbound_retention = '2h' is not accepted: use off, or a duration like"
                + " 250ms, 30s, 5m, 2h or 7d (a bare number is seconds), from 1d"),
        Arguments.of(
            "twinpath\ninbound pop3\ninbound_host pop.example.org\ninbound_user bob\n"
                + "inbound_retention 90d\n",
            "host.conf:5: inbound_retention = '90d' is not accepted: a pop3 mailbox that keeps"
                + " its mail"));
  }

  @Test
  void theSharedSyntaxReadsWhatTheHostReadBeforeAndMore() throws Exception {
    HostConfig c =
        parse(
            "defaults\ntimeout 45\naccount a\nhost h.example\ntls implicit\n"
                + "twinpath\nexpiry 90min\nbackoff 20S\nbackoff_max PT15M\nsize_limit 3mb\n");
    assertThat(c.account().timeout()).isEqualTo(Duration.ofSeconds(45)); // bare number: seconds
    assertThat(c.account().tls()).isEqualTo(TlsMode.IMPLICIT);
    assertThat(c.account().tlsWord()).isEqualTo("on");
    assertThat(c.account().port()).isEqualTo(465);
    assertThat(c.expiry()).isEqualTo(Duration.ofMinutes(90));
    assertThat(c.backoff()).isEqualTo(Duration.ofSeconds(20));
    assertThat(c.backoffMax()).isEqualTo(Duration.ofMinutes(15));
    assertThat(c.sizeLimit()).isEqualTo(3L * 1024 * 1024);
    HostConfig none = parse("account a\nhost 127.0.0.1\ntls none\n");
    assertThat(none.account().tls()).isEqualTo(TlsMode.NONE);
    assertThat(none.account().tlsWord()).isEqualTo("off");
    assertThat(none.account().port()).isEqualTo(25);
  }

  @Test
  void anErrorCarriesTheSourceKeyValueAndWhatIsAccepted() {
    assertThatThrownBy(() -> parse("twinpath\nbackoff 2h\n"))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> {
              SettingException s = e.setting();
              assertThat(s).isNotNull();
              assertThat(s.source()).isEqualTo("host.conf:2");
              assertThat(s.key()).isEqualTo("backoff");
              assertThat(s.value()).isEqualTo("2h");
              assertThat(s.accepted()).endsWith("from 1s to 1h");
              assertThat(e.getMessage()).isEqualTo(s.getMessage());
            });
    // a password's value is never kept, whatever is wrong with its line
    for (String text :
        List.of(
            "account a\nhost h\nuser u\npassword \"hunter2\n",
            "account a\nhost h\nuser u\npassword hunter2\npassword hunter2\n",
            "twinpath\nbroker_user b\nbroker_password hunter2\nbroker_passwordeval echo hunter2\n",
            "password hunter2\n",
            "account a\nhost h\npasword hunter2\n")) {
      assertThatThrownBy(() -> parse(text))
          .as(text)
          .isInstanceOfSatisfying(
              ConfigException.class,
              e -> {
                assertThat(e.getMessage()).doesNotContain("hunter2");
                assertThat(e.setting()).isNotNull();
                assertThat(e.setting().isHidden()).isTrue();
                assertThat(e.setting().value()).isNull();
              });
    }
  }

  @Test
  void everyKeyIsDocumentedInTheHostGuide() throws Exception {
    String guide = Files.readString(Path.of("../docs/host.md"));
    HostKeys keys = new HostKeys(DIRS);
    for (Block.Kind kind : Block.Kind.values()) {
      for (var s : keys.keys(kind)) {
        assertThat(guide).as(s.key()).contains("`" + s.key() + "`");
        assertThat(s.doc()).as(s.key()).isNotBlank();
      }
    }
  }

  @Test
  void theTakeoverDelayIsSetLikeTheDonglesAndDefaultsTo30s() throws Exception {
    assertThat(parse("twinpath\n").takeoverDelay()).isEqualTo(java.time.Duration.ofSeconds(30));
    assertThat(parse("twinpath\ntakeover_delay 3s\n").takeoverDelay())
        .isEqualTo(java.time.Duration.ofSeconds(3));
    assertThat(parse("twinpath\ntakeover_delay 0s\n").takeoverDelay())
        .isEqualTo(java.time.Duration.ZERO);
  }

  @Test
  void inboundRetentionIsOffByDefaultAndTakesDays() throws Exception {
    assertThat(parse("twinpath\n").inboundRetention()).isNull();
    assertThat(parse("twinpath\ninbound_retention off\n").inboundRetention()).isNull();
    // also without this laptop's own mailbox: ids arrive from the dongle too
    assertThat(parse("twinpath\ninbound_retention 180d\n").inboundRetention())
        .isEqualTo(java.time.Duration.ofDays(180));
    assertThat(
            parse(
                    "twinpath\ninbound pop3\ninbound_host pop.example.org\ninbound_user bob\n"
                        + "inbound_delete on\ninbound_retention 30d\n")
                .inboundRetention())
        .isEqualTo(java.time.Duration.ofDays(30));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("badFiles")
  void badFilesFailWithTheLineTheKeyTheValueAndWhatIsAccepted(String text, String message) {
    assertThatThrownBy(() -> parse(text))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(message);
  }

  @Test
  void theAccountNamedDefaultIsChosenAmongSeveral() throws Exception {
    HostConfig c =
        parse(
            "account a\nhost a.example\naccount b\nhost b.example\naccount default : b\n"
                + "port 2525\n");
    assertThat(c.account().host()).isEqualTo("b.example");
    assertThat(c.account().port()).isEqualTo(2525);
    assertThat(c.account().name()).isEqualTo("default");
  }

  @Test
  void listenAcceptsLoopbackFormsAndOff() throws Exception {
    for (String v : List.of("127.0.0.1:2525", "[::1]:2525", "localhost:2525", "0")) {
      HostConfig c = parse("twinpath\nlisten " + v + "\n");
      assertThat(c.listen()).as(v).isNotNull();
      assertThat(c.listen().getAddress().isLoopbackAddress()).as(v).isTrue();
    }
    assertThat(parse("twinpath\nlisten off\n").listen()).isNull();
  }

  @Test
  void sizesAndDurationsHaveUnits() throws Exception {
    HostConfig c = parse("twinpath\nsize_limit 512K\nexpiry 90m\nbackoff 1500ms\n");
    assertThat(c.sizeLimit()).isEqualTo(512 * 1024);
    assertThat(c.expiry()).isEqualTo(Duration.ofMinutes(90));
    assertThat(c.backoff()).isEqualTo(Duration.ofMillis(1500));
    assertThat(parse("twinpath\nsize_limit 2MiB\n").sizeLimit()).isEqualTo(2 * 1024 * 1024);
  }

  @Test
  void inboundIsOffByDefaultAndTakesTheAccountsLogin() throws Exception {
    assertThat(parse("twinpath\n").inbound()).isNull();
    assertThat(parse("twinpath\ninbound off\n").inbound()).isNull();
    HostConfig c =
        parse(
            "account a\nhost smtp.example.org\nuser alice\npassword s3cret\ntimeout 10s\n"
                + "twinpath\ninbound imap\ninbound_host imap.example.org\n");
    InboundAccount in = c.inbound();
    assertThat(in).isNotNull();
    assertThat(in.protocol()).isEqualTo(io.twinpath.core.inbound.FetchSettings.Protocol.IMAPS);
    assertThat(in.port()).isEqualTo(993);
    assertThat(in.user()).isEqualTo("alice");
    assertThat(new String(in.password().reveal())).isEqualTo("s3cret");
    assertThat(in.folder()).isEqualTo("INBOX");
    assertThat(in.delete()).isFalse();
    assertThat(in.timeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(in.toString()).doesNotContain("s3cret");

    InboundAccount pop =
        parse(
                "twinpath\ninbound pop3\ninbound_host 127.0.0.1\ninbound_tls off\n"
                    + "inbound_port 1110\ninbound_user bob\ninbound_passwordeval echo pw\n"
                    + "inbound_delete on\ninbound_poll 30s\n")
            .inbound();
    assertThat(pop).isNotNull();
    assertThat(pop.protocol()).isEqualTo(io.twinpath.core.inbound.FetchSettings.Protocol.POP3);
    assertThat(pop.port()).isEqualTo(1110);
    assertThat(pop.delete()).isTrue();
    assertThat(pop.poll()).isEqualTo(Duration.ofSeconds(30));
    assertThat(new String(pop.password().reveal())).isEqualTo("pw");
  }

  @Test
  void inboundTlsStarttlsUpgradesThePlainPortOfARemoteServer() throws Exception {
    InboundAccount in =
        parse(
                "twinpath\ninbound imap\ninbound_host imap.example.org\ninbound_tls starttls\n"
                    + "inbound_user bob\n")
            .inbound();
    assertThat(in).isNotNull();
    assertThat(in.protocol()).isEqualTo(io.twinpath.core.inbound.FetchSettings.Protocol.IMAP);
    assertThat(in.starttls()).isTrue();
    assertThat(in.port()).isEqualTo(143);
    InboundAccount pop =
        parse(
                "twinpath\ninbound pop3\ninbound_host pop.example.org\ninbound_tls starttls\n"
                    + "inbound_user bob\n")
            .inbound();
    assertThat(pop).isNotNull();
    assertThat(pop.protocol()).isEqualTo(io.twinpath.core.inbound.FetchSettings.Protocol.POP3);
    assertThat(pop.starttls()).isTrue();
    assertThat(pop.port()).isEqualTo(110);
  }
}
