package io.twinpath.kura.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinpath.core.config.Secret;
import io.twinpath.secondary.SettingsTable;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KuraSettingsTest {
  private final List<String> decrypted = new ArrayList<>();

  /** Reverses the "encrypted" text, so a test can tell both forms apart. */
  private Secret decrypt(String key, String encrypted) {
    decrypted.add(key);
    return Secret.of(new StringBuilder(encrypted).reverse().toString().toCharArray());
  }

  private KuraSettings read(Map<String, Object> p) {
    return KuraSettings.from(p, this::decrypt);
  }

  @Test
  void defaultsWhenKuraCreatedOnlyTheKeysWithDefaults() {
    KuraSettings s = read(Map.of("kura.service.pid", "io.twinpath.kura.Secondary"));
    assertThat(s.device().value()).isEqualTo("gateway");
    assertThat(s.peers()).extracting(d -> d.value()).containsExactly("laptop");
    assertThat(s.brokerUrl()).isEqualTo("tcp://127.0.0.1:1883");
    assertThat(s.takeoverDelay()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.storageBudget()).isEqualTo(256L << 20);
    assertThat(s.dataDir()).isEmpty();
    assertThat(s.secretKeys()).isEmpty();
  }

  @Test
  void convertsWhatKuraHandsOverAndIgnoresFrameworkProperties() {
    Map<String, Object> p = new HashMap<>();
    p.put("service.pid", "io.twinpath.kura.Secondary");
    p.put("component.id", 7L);
    p.put("device.id", "gw-1");
    p.put("peers", "laptop, desk");
    p.put("broker", "ssl://broker.example.org:8883");
    p.put("takeover.delay", "2m");
    p.put("storage.budget", "1GB");
    p.put("modem.baud", 9600);
    p.put("smtp.port", 465L);
    p.put("data.dir", "/var/lib/twinpath");
    KuraSettings s = read(p);
    assertThat(s.device().value()).isEqualTo("gw-1");
    assertThat(s.peers()).extracting(d -> d.value()).containsExactly("laptop", "desk");
    assertThat(s.brokerUrl()).isEqualTo("ssl://broker.example.org:8883");
    assertThat(s.takeoverDelay()).isEqualTo(Duration.ofMinutes(2));
    assertThat(s.storageBudget()).isEqualTo(1L << 30);
    assertThat(s.values()).containsEntry("modem.baud", "9600").containsEntry("smtp.port", "465");
    assertThat(s.values()).doesNotContainKeys("service.pid", "component.id");
    assertThat(s.dataDir()).hasValueSatisfying(d -> assertThat(d).hasToString("/var/lib/twinpath"));
  }

  @Test
  void passwordsAreDecryptedAndNeverShown() {
    Map<String, Object> p = new HashMap<>();
    p.put("smtp.password", "terces");
    p.put("modem.pin", "4321");
    p.put("broker.password", "");
    KuraSettings s = read(p);
    assertThat(decrypted).containsExactlyInAnyOrder("smtp.password", "modem.pin");
    assertThat(s.secret("smtp.password"))
        .hasValueSatisfying(v -> assertThat(new String(v.chars())).isEqualTo("secret"));
    assertThat(s.secret("broker.password")).as("empty means unset").isEmpty();
    assertThat(s.values()).doesNotContainKeys("smtp.password", "modem.pin");
    assertThat(s.summary() + s + s.secret("smtp.password").orElseThrow())
        .contains("smtp.password")
        .doesNotContain("secret")
        .doesNotContain("terces")
        .doesNotContain("1234")
        .doesNotContain("4321");
  }

  @Test
  void equalSettingsCompareEqualSoAnUnchangedSaveRestartsNothing() {
    Map<String, Object> p = Map.of("device.id", "gw-1", "smtp.password", "x");
    assertThat(read(p)).isEqualTo(read(new HashMap<>(p)));
    assertThat(read(p)).isNotEqualTo(read(Map.of("device.id", "gw-1", "smtp.password", "y")));
  }

  @Test
  void badValuesNameTheKeyTheValueAndWhatIsAccepted() {
    assertThatThrownBy(() -> read(Map.of("device.id", "Gate Way")))
        .hasMessageContaining("device.id")
        .hasMessageContaining("'Gate Way'")
        .hasMessageContaining("lower-case");
    assertThatThrownBy(() -> read(Map.of("peers", "gateway")))
        .hasMessageContaining("peers = 'gateway'")
        .hasMessageContaining("own id");
    assertThatThrownBy(() -> read(Map.of("broker", "http://x:80")))
        .hasMessageContaining("broker = 'http://x:80'")
        .hasMessageContaining("tcp://host:port");
    assertThatThrownBy(() -> read(Map.of("broker", "tcp://x")))
        .hasMessageContaining("broker = 'tcp://x'");
    assertThatThrownBy(() -> read(Map.of("takeover.delay", "soon")))
        .hasMessageContaining("takeover.delay = 'soon'")
        .hasMessageContaining("30s");
    assertThatThrownBy(() -> read(Map.of("takeover.delay", "25h")))
        .hasMessageContaining("from 0s to 1d");
    assertThatThrownBy(() -> read(Map.of("storage.budget", "10KB")))
        .hasMessageContaining("storage.budget = '10KB'")
        .hasMessageContaining("1MB to 1TB");
    assertThatThrownBy(() -> read(Map.of("modem.dialect", "hayes")))
        .hasMessageContaining("modem.dialect = 'hayes'")
        .hasMessageContaining("use sim7600 (SIMCom SIM7600) or ec25");
    assertThatThrownBy(() -> read(Map.of("smtp.tls", "ssl")))
        .hasMessageContaining("use starttls (port 587), implicit (port 465) or none");
    assertThatThrownBy(() -> read(Map.of("smtp.port", 70000)))
        .hasMessageContaining("smtp.port = '70000'")
        .hasMessageContaining("1-65535");
    assertThatThrownBy(() -> read(Map.of("modem.baud", "fast")))
        .hasMessageContaining("modem.baud = 'fast'");
    assertThatThrownBy(() -> read(Map.of("data.dir", "relative/dir")))
        .hasMessageContaining("data.dir = 'relative/dir'")
        .hasMessageContaining("absolute");
    assertThatThrownBy(() -> read(Map.of("peers", new String[] {"a", "b"})))
        .hasMessageContaining("peers = '[a, b]' is not accepted: give one value, not several");
  }

  private static String newPublicKey() throws Exception {
    return Base64.getEncoder()
        .encodeToString(
            KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded());
  }

  @Test
  void peerKeysAreOnePerPeerInPeersOrder() throws Exception {
    String a = newPublicKey();
    String b = newPublicKey();
    KuraSettings s = read(Map.of("peers", "laptop,desk", "peers.public-key", a + ", " + b));
    assertThat(s.peerKeys().keySet()).extracting(d -> d.value()).containsExactly("laptop", "desk");
    assertThat(s.peerKeys().values()).containsExactly(a, b);
    assertThat(read(Map.of()).peerKeys()).isEmpty();

    assertThatThrownBy(() -> read(Map.of("peers", "laptop,desk", "peers.public-key", a)))
        .hasMessageContaining(
            "peers.public-key = '" + a + "' is not accepted: it holds 1 key(s) but peers lists 2");
    assertThatThrownBy(() -> read(Map.of("peers.public-key", "bm90LWEta2V5")))
        .hasMessageContaining("peers.public-key = 'bm90LWEta2V5'")
        .hasMessageContaining("laptop")
        .hasMessageContaining("Ed25519");
  }

  @Test
  void aPasswordThatCannotBeDecryptedIsNamedButNotQuoted() {
    PasswordDecryptor failing =
        (key, value) -> {
          throw new IllegalArgumentException("setting '" + key + "' could not be decrypted");
        };
    assertThatThrownBy(() -> KuraSettings.from(Map.of("smtp.password", "zzzz"), failing))
        .hasMessageContaining("smtp.password")
        .hasMessageNotContaining("zzzz");
  }

  @Test
  void readsTheValueSyntaxEveryFrontEndShares() {
    KuraSettings s =
        read(
            Map.of(
                "takeover.delay", "1d",
                "storage.budget", "2GiB",
                "smtp.timeout", "90", // a bare number is seconds
                "sms.delay", "3d")); // up to 7d, as on the dongle
    assertThat(s.takeoverDelay()).isEqualTo(Duration.ofDays(1));
    assertThat(s.value(SettingsTable.SMS_DELAY)).hasValue(Duration.ofDays(3));
    assertThat(s.storageBudget()).isEqualTo(2L << 30);
    assertThat(s.smtpTimeout()).isEqualTo(Duration.ofSeconds(90));
  }
}
