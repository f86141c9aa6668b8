package io.twinpath.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrintableTest {
  @Test
  void escapesControlCharactersAndCapsTheLength() {
    assertThat(Printable.of("plain")).isEqualTo("plain");
    assertThat(Printable.of("a\r\nb\u0000\u007f")).isEqualTo("a\\x0d\\x0ab\\x00\\x7f");
    assertThat(Printable.of("x".repeat(121))).isEqualTo("x".repeat(120) + "…");
    assertThat(Printable.of("x".repeat(120))).isEqualTo("x".repeat(120));
    assertThat(Printable.of("abcdef", 3)).isEqualTo("abc…");
    assertThat(Printable.of("ünïcode")).isEqualTo("ünïcode");
  }
}
