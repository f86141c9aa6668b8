package io.twinpath.dongle.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinpath.core.config.Secret;
import org.junit.jupiter.api.Test;

class BrokerProbeTest {
  @Test
  void connectCarriesTheClientIdAndCredentials() {
    byte[] expected = {
      // CONNECT, remaining length 21
      0x10,
      21,
      // protocol name "MQTT", level 4 (3.1.1)
      0x00,
      0x04,
      'M',
      'Q',
      'T',
      'T',
      0x04,
      // flags: user name, password, clean session; keep-alive 10 s
      (byte) 0xc2,
      0x00,
      0x0a,
      // client id "p0"
      0x00,
      0x02,
      'p',
      '0',
      // user name "u"
      0x00,
      0x01,
      'u',
      // password "pw"
      0x00,
      0x02,
      'p',
      'w',
    };
    assertThat(BrokerProbe.connect("p0", "u", Secret.of("pw"))).isEqualTo(expected);
  }

  @Test
  void connectWithoutCredentials() {
    byte[] expected = {
      // CONNECT, remaining length 14
      0x10,
      14,
      // protocol name "MQTT", level 4
      0x00,
      0x04,
      'M',
      'Q',
      'T',
      'T',
      0x04,
      // flags: clean session only; keep-alive 10 s
      0x02,
      0x00,
      0x0a,
      // client id "p0"
      0x00,
      0x02,
      'p',
      '0',
    };
    assertThat(BrokerProbe.connect("p0", null, null)).isEqualTo(expected);
  }
}
