package io.twinpath.kura.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KuraPropertiesTest {
  private final KuraProperties p =
      new KuraProperties(
          Map.of("port", 1883L, "text", "42", "flag", "TRUE", "bad", "x1", "big", 70000));

  @Test
  void convertsWhatKuraHandsOver() {
    assertThat(p.integer("port", 0, 1, 65535)).isEqualTo(1883);
    assertThat(p.integer("text", 0, 0, 100)).isEqualTo(42);
    assertThat(p.integer("missing", 7, 0, 100)).isEqualTo(7);
    assertThat(p.bool("flag", false)).isTrue();
    assertThat(p.string("missing", "d")).isEqualTo("d");
  }

  @Test
  void badValuesNameKeyValueAndRange() {
    assertThatThrownBy(() -> p.integer("bad", 0, 0, 10))
        .hasMessageContaining("'bad' = 'x1'")
        .hasMessageContaining("0-10");
    assertThatThrownBy(() -> p.integer("big", 0, 1, 65535))
        .hasMessageContaining("'big' = 70000")
        .hasMessageContaining("1-65535");
    assertThatThrownBy(() -> p.bool("text", false)).hasMessageContaining("'text' = '42'");
  }
}
