package io.twinpath.core.inbound.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SipHashTest {
  @Test
  void matchesTheReferenceVectorForAnEightByteMessage() {
    // key 00 01 .. 0f, message 00 01 .. 07: the published SipHash-2-4 output 62 24 93 9a 79 f5 f5
    // 93
    SipHash h = new SipHash(0x0706050403020100L, 0x0f0e0d0c0b0a0908L);
    assertThat(h.hash(0x0706050403020100L)).isEqualTo(0x93f5f5799a932462L);
  }

  @Test
  void differentKeysGiveDifferentHashes() {
    assertThat(new SipHash(1, 2).hash(42)).isNotEqualTo(new SipHash(1, 3).hash(42));
  }
}
