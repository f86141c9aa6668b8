package io.twinpath.core.wire.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ResendFlagFilterTest {
  /** Three packets as Paho writes them after a reconnect. */
  private static final byte[] RESENT = {
    // PUBLISH, DUP=1, QoS 1, retain=0; remaining length 7
    0x3a,
    0x07,
    // topic "t/x" (length 3), packet id 0x0102, payload "9"
    0x00,
    0x03,
    't',
    '/',
    'x',
    0x01,
    0x02,
    // PINGREQ, remaining length 0
    (byte) 0xc0,
    0x00,
    // PUBLISH, DUP=1, QoS 1, retain=1; remaining length 6; the payload byte 0x3a looks like a
    // PUBLISH header with DUP but is body, so it stays
    0x3b,
    0x06,
    // topic "a" (length 1), packet id 0x0003, payload 0x3a 0x3a
    0x00,
    0x01,
    'a',
    0x00,
    0x03,
    0x3a,
  };

  private static final byte[] SENT = {
    // PUBLISH, DUP=0, QoS 1, retain=0
    0x32,
    0x07,
    0x00,
    0x03,
    't',
    '/',
    'x',
    0x01,
    0x02,
    // PINGREQ unchanged
    (byte) 0xc0,
    0x00,
    // PUBLISH, DUP=0, QoS 1, retain=1, body unchanged
    0x33,
    0x06,
    0x00,
    0x01,
    'a',
    0x00,
    0x03,
    0x3a,
  };

  @Test
  void clearsTheDupFlagOfPublishHeadersOnly() throws IOException {
    assertThat(filtered(RESENT, RESENT.length)).isEqualTo(SENT);
  }

  @Test
  void followsTheFramingAcrossWritesOfAnySize() throws IOException {
    for (int chunk = 1; chunk <= RESENT.length; chunk++) {
      assertThat(filtered(RESENT, chunk)).as("writes of %d bytes", chunk).isEqualTo(SENT);
    }
  }

  @Test
  void singleByteWritesGiveTheSameBytes() throws IOException {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    ResendFlagFilter f = new ResendFlagFilter(sink);
    for (byte b : RESENT) {
      f.write(b);
    }
    assertThat(sink.toByteArray()).isEqualTo(SENT);
  }

  @Test
  void readsAMultiByteRemainingLength() throws IOException {
    byte[] packet = new byte[3 + 200 + 2];
    // PUBLISH, DUP=1, QoS 1; remaining length 200 = 0xc8 0x01 (200 % 128 | 0x80, 200 / 128)
    packet[0] = 0x3a;
    packet[1] = (byte) 0xc8;
    packet[2] = 0x01;
    // a body full of would-be PUBLISH headers with DUP
    Arrays.fill(packet, 3, 203, (byte) 0x3a);
    // DISCONNECT, remaining length 0
    packet[203] = (byte) 0xe0;
    packet[204] = 0x00;
    byte[] expected = packet.clone();
    expected[0] = 0x32;
    for (int chunk : new int[] {1, 2, 3, 7, 64, packet.length}) {
      assertThat(filtered(packet, chunk)).as("writes of %d bytes", chunk).isEqualTo(expected);
    }
  }

  private static byte[] filtered(byte[] in, int chunk) throws IOException {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    ResendFlagFilter f = new ResendFlagFilter(sink);
    byte[] copy = in.clone();
    for (int off = 0; off < copy.length; off += chunk) {
      f.write(copy, off, Math.min(chunk, copy.length - off));
    }
    f.flush();
    assertThat(copy).as("the caller's buffer is not changed").isEqualTo(in);
    return sink.toByteArray();
  }
}
