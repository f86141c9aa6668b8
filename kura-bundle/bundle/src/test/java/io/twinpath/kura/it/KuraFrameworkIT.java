package io.twinpath.kura.it;

import static io.twinpath.kura.it.OsgiRuntime.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.twinpath.core.DeviceId;
import io.twinpath.core.wire.DeviceKeys;
import io.twinpath.kura.TwinpathKura;
import io.twinpath.kura.internal.KuraSettings;
import io.twinpath.kura.it.crypto.StandInCrypto;
import io.twinpath.testing.MosquittoExtension;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/**
 * The deployment package as a Kura gateway sees it, in a real framework (Equinox 3.16 + Felix SCR
 * 2.1.16 as in Kura 5, or Equinox 3.21 + SCR 2.2.12 as in Kura 6.0-dev): installed through
 * DeploymentAdmin, described by metatype, configured through Config Admin the way Kura does it,
 * changed live, and uninstalled. The steps build on each other, in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KuraFrameworkIT {
  private static final String CONFIGURABLE = "org.eclipse.kura.configuration.ConfigurableComponent";
  private static final String SMTP_PASSWORD = "Smtp-Pa55word-nobody-may-see";
  private static final String BROKER_PASSWORD = "Mqtt-Pa55word-nobody-may-see";
  private static final int AD_STRING = 1;
  private static final int AD_INTEGER = 3;
  private static final int AD_BOOLEAN = 11;
  private static final int AD_PASSWORD = 12;

  @RegisterExtension static MosquittoExtension mqtt = new MosquittoExtension();

  private @Nullable OsgiRuntime osgi;
  private @Nullable StateWatcher operator;
  private @Nullable Object deploymentPackage;
  private final StandInCrypto encryptor = new StandInCrypto();
  private final List<String> ciphertexts = new ArrayList<>();
  private @Nullable DeviceKeys laptopKeys;

  @BeforeAll
  void boot() throws Exception {
    String name = System.getProperty("twinpath.osgi.runtime", "kura5");
    Path work = Path.of("target", "osgi-work", name).toAbsolutePath();
    osgi = OsgiRuntime.boot(work);
    laptopKeys = DeviceKeys.loadOrCreate(work.resolve("laptop"), DeviceId.of("laptop"));
    operator = StateWatcher.connect(mqtt.url());
  }

  @AfterAll
  void shutDown() throws Exception {
    if (operator != null) {
      operator.close();
    }
    if (osgi != null) {
      String frameworkLog = osgi.frameworkLog();
      if (!frameworkLog.isEmpty()) {
        System.out.println("framework log of " + osgi.name() + ":\n" + frameworkLog);
      }
      osgi.close();
    }
  }

  private OsgiRuntime osgi() {
    OsgiRuntime o = osgi;
    assertThat(o).as("framework booted").isNotNull();
    return o;
  }

  private StateWatcher operator() {
    StateWatcher o = operator;
    assertThat(o).isNotNull();
    return o;
  }

  @Test
  @Order(1)
  void deploymentPackageInstallsThroughDeploymentAdminAndEveryBundleResolves() throws Exception {
    Path dp = Path.of(System.getProperty("twinpath.dp", "missing.dp"));
    assertThat(dp).as("the build writes the .dp before the integration tests").exists();
    Object admin = osgi().service("org.osgi.service.deploymentadmin.DeploymentAdmin");
    try (InputStream in = Files.newInputStream(dp)) {
      deploymentPackage = call(admin, "installDeploymentPackage", in);
    }
    assertThat(call(deploymentPackage(), "getName")).isEqualTo("io.twinpath.kura.dp");

    Bundle twinpath = osgi().bundle("io.twinpath.kura");
    assertThat(twinpath).as("bundle from the .dp").isNotNull();
    assertThat(twinpath.getState()).as("Twinpath bundle state").isEqualTo(Bundle.ACTIVE);
    for (Bundle b : osgi().bundles()) {
      assertThat(b.getState())
          .as(b.getSymbolicName() + " in " + osgi().name() + " " + osgi().frameworkVersion())
          .isEqualTo(Bundle.ACTIVE);
    }
    // configuration-policy=require: nothing runs before Kura hands over a configuration
    assertThat(osgi().references(CONFIGURABLE)).isEmpty();
    assertThat(twinpathThreads()).isEmpty();
  }

  @Test
  @Order(2)
  void metatypeDescribesEverySettingForThePid() {
    Object metatype = osgi().service("org.osgi.service.metatype.MetaTypeService");
    Object info = call(metatype, "getMetaTypeInformation", osgi().bundle("io.twinpath.kura"));
    assertThat(info).isNotNull();
    assertThat((String[]) call(info, "getPids")).containsExactly(TwinpathKura.PID);
    Object ocd = call(info, "getObjectClassDefinition", TwinpathKura.PID, null);
    assertThat(ocd).isNotNull();
    assertThat(call(ocd, "getID")).isEqualTo(TwinpathKura.PID);
    assertThat(call(ocd, "getName")).isEqualTo("Twinpath secondary");

    Map<String, Integer> types = new HashMap<>();
    Map<String, @Nullable String> defaults = new HashMap<>();
    Map<String, String[]> options = new HashMap<>();
    for (Object ad : (Object[]) call(ocd, "getAttributeDefinitions", -1)) {
      String id = (String) call(ad, "getID");
      String[] o = (String[]) call(ad, "getOptionValues");
      options.put(id, o == null ? new String[0] : o);
      types.put(id, (Integer) call(ad, "getType"));
      String[] d = (String[]) call(ad, "getDefaultValue");
      defaults.put(id, d == null || d.length == 0 ? null : d[0]);
    }
    assertThat(types.keySet()).containsExactlyInAnyOrderElementsOf(KuraSettings.KEYS.keySet());
    KuraSettings.KEYS.forEach(
        (key, type) ->
            assertThat(types.get(key))
                .as("metatype type of " + key)
                .isEqualTo(
                    switch (type) {
                      case STRING -> AD_STRING;
                      case INTEGER -> AD_INTEGER;
                      case BOOLEAN -> AD_BOOLEAN;
                      case PASSWORD -> AD_PASSWORD;
                    }));
    assertThat(defaults.get("device.id")).isEqualTo("gateway");
    assertThat(defaults.get("broker")).isEqualTo("tcp://127.0.0.1:1883");
    // the inbound mailbox, as the dongle has it: off until the operator picks a protocol
    assertThat(types.keySet())
        .contains(
            "inbound.protocol",
            "inbound.tls",
            "inbound.host",
            "inbound.port",
            "inbound.username",
            "inbound.password",
            "inbound.folder",
            "inbound.delete",
            "inbound.truststore",
            "inbound.truststore-password",
            "inbound.policy",
            "inbound.poll",
            "inbound.budget");
    assertThat(types.get("inbound.password")).isEqualTo(AD_PASSWORD);
    assertThat(defaults.get("inbound.protocol")).isEqualTo("off");
    assertThat(options.get("inbound.protocol")).containsExactly("off", "imap", "pop3");
    assertThat(defaults.get("inbound.tls")).isEqualTo("implicit");
    assertThat(options.get("inbound.tls")).containsExactly("implicit", "starttls", "none");
    assertThat(defaults.get("inbound.policy")).isEqualTo("while-host-unavailable");
  }

  @Test
  @Order(3)
  void activatesOnceConfiguredAndAnnouncesItselfOnTheBroker() throws Exception {
    configure(settings("gw-a"));

    ServiceReference<?> ref =
        await().atMost(Duration.ofSeconds(20)).until(this::component, r -> r != null);
    assertThat(ref.getProperty("service.pid")).isEqualTo(TwinpathKura.PID);
    assertThat(ref.getProperty("kura.service.pid")).isEqualTo(TwinpathKura.PID);

    await().atMost(Duration.ofSeconds(20)).until(() -> operator().state("gw-a").equals("online"));
    assertThat(operator().role("gw-a")).isEqualTo("secondary");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                osgi()
                    .log()
                    .contains("Twinpath secondary gw-a runs on " + mqtt.url() + " (none path)"));
    String log = osgi().log();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> operator().status("gw-a").contains("\"device\":\"gw-a\""));
    assertThat(log)
        .as("the host key from the form is trusted, and the gateway's own key is shown")
        .contains("gw-a trusts laptop (key fingerprint " + laptopKeys().fingerprint() + ")")
        .containsPattern("gw-a public key \\S+ \\(fingerprint [A-Z2-7]{4}-[A-Z2-7]{4}-");
  }

  @Test
  @Order(4)
  void aConfigChangeIsAppliedLiveWithoutReactivation() throws Exception {
    ServiceReference<?> before = component();
    assertThat(before).isNotNull();

    configure(settings("gw-b"));

    await().atMost(Duration.ofSeconds(20)).until(() -> operator().state("gw-b").equals("online"));
    await().atMost(Duration.ofSeconds(20)).until(() -> operator().state("gw-a").equals("offline"));
    ServiceReference<?> after = component();
    assertThat(after).isNotNull();
    assertThat(after.getProperty("service.id"))
        .as("the same component instance took the change (modified, not re-activated)")
        .isEqualTo(before.getProperty("service.id"));
  }

  @Test
  @Order(5)
  void aBadValueIsRefusedWithItsKeyAndThePreviousConfigurationKeepsRunning() throws Exception {
    Map<String, Object> bad = settings("gw-c");
    bad.put("broker", "http://nowhere.invalid");
    configure(bad);

    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> osgi().log().contains("Kura configuration: broker = 'http://nowhere.invalid'"));
    assertThat(osgi().log()).contains("Still running with the previous one");
    assertThat(operator().state("gw-b")).isEqualTo("online");
    assertThat(operator().state("gw-c")).isEmpty();
  }

  @Test
  @Order(6)
  void passwordsAreDecryptedThroughCryptoServiceAndNeverLogged() throws Exception {
    Object crypto = osgi().service("org.eclipse.kura.crypto.CryptoService");
    assertThat((Integer) call(crypto, "decryptions"))
        .as("Password values decrypted by the framework's CryptoService")
        .isGreaterThanOrEqualTo(4);
    String log = osgi().log();
    assertThat(log).contains("passwords set: broker.password smtp.password");
    assertThat(log).doesNotContain(SMTP_PASSWORD).doesNotContain(BROKER_PASSWORD);
    for (String c : ciphertexts) {
      assertThat(log).doesNotContain(c);
    }
  }

  @Test
  @Order(7)
  void theBrokerPasswordIsDecryptedAndLogsTheGatewayIn() throws Exception {
    Path dir = Path.of("target", "osgi-work", osgi().name() + "-password-broker").toAbsolutePath();
    try (PasswordMosquitto broker = PasswordMosquitto.start(dir, "gateway-user", BROKER_PASSWORD);
        StateWatcher view = StateWatcher.connect(broker.url(), "gateway-user", BROKER_PASSWORD)) {
      Map<String, Object> s = settings("gw-d");
      s.put("broker", broker.url());
      s.put("broker.username", "gateway-user");
      configure(s);

      await().atMost(Duration.ofSeconds(20)).until(() -> view.state("gw-d").equals("online"));
      assertThat(osgi().log()).doesNotContain(BROKER_PASSWORD);
      configure(settings("gw-b"));
      await().atMost(Duration.ofSeconds(20)).until(() -> view.state("gw-d").equals("offline"));
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> operator().state("gw-b").equals("online"));
  }

  @Test
  @Order(8)
  void uninstallingThePackageLeavesNothingRunning() throws Exception {
    call(deploymentPackage(), "uninstall");

    assertThat(osgi().bundle("io.twinpath.kura")).isNull();
    assertThat(osgi().references(CONFIGURABLE)).isEmpty();
    await().atMost(Duration.ofSeconds(20)).until(() -> operator().state("gw-b").equals("offline"));
    await().atMost(Duration.ofSeconds(20)).until(() -> twinpathThreads().isEmpty());
    Object admin = osgi().service("org.osgi.service.deploymentadmin.DeploymentAdmin");
    assertThat((Object[]) call(admin, "listDeploymentPackages")).isEmpty();
  }

  private DeviceKeys laptopKeys() {
    DeviceKeys k = laptopKeys;
    assertThat(k).isNotNull();
    return k;
  }

  private Object deploymentPackage() {
    Object dp = deploymentPackage;
    assertThat(dp).as("installed by the first step").isNotNull();
    return dp;
  }

  private @Nullable ServiceReference<?> component() {
    List<ServiceReference<?>> refs = osgi().references(CONFIGURABLE);
    return refs.isEmpty() ? null : refs.get(0);
  }

  /** What Kura puts in the configuration: the form's values, passwords encrypted. */
  private Map<String, Object> settings(String device) throws Exception {
    Map<String, Object> p = new HashMap<>();
    p.put("kura.service.pid", TwinpathKura.PID);
    p.put("device.id", device);
    p.put("peers", "laptop");
    p.put("peers.public-key", laptopKeys().publicKeyBase64());
    p.put("broker", mqtt.url());
    p.put("takeover.delay", "30s");
    p.put("storage.budget", "64MB");
    p.put("modem.dialect", "sim7600");
    p.put("modem.baud", 115200);
    p.put("smtp.tls", "starttls");
    p.put("smtp.timeout", "60s");
    p.put("sms.delay", "15m");
    p.put("smtp.password", encrypt(SMTP_PASSWORD));
    p.put("broker.password", encrypt(BROKER_PASSWORD));
    return p;
  }

  private String encrypt(String plain) throws Exception {
    String c = new String(encryptor.encryptAes(plain.toCharArray()));
    ciphertexts.add(c);
    return c;
  }

  private void configure(Map<String, Object> settings) {
    Object cm = osgi().service("org.osgi.service.cm.ConfigurationAdmin");
    Object config = call(cm, "getConfiguration", TwinpathKura.PID, "?");
    assertThat(config).isNotNull();
    Dictionary<String, Object> d = new Hashtable<>(settings);
    call(config, "update", d);
  }

  private static List<String> twinpathThreads() {
    List<String> names = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      String n = t.getName();
      if (t.isAlive() && (n.startsWith("twinpath-kura") || n.contains("gw-"))) {
        names.add(n);
      }
    }
    return names;
  }
}
