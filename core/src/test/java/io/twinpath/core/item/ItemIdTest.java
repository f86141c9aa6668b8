package io.twinpath.core.item;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ItemIdTest {
  @Test
  void encodesTheCreationTimeAndSortsByIt() {
    Instant t1 = Instant.parse("2026-11-26T10:00:00.123Z");
    Instant t2 = t1.plusMillis(1);
    ItemId a = ItemId.generate(Clock.fixed(t1, ZoneOffset.UTC));
    ItemId b = ItemId.generate(Clock.fixed(t2, ZoneOffset.UTC));
    assertThat(a.createdAt()).isEqualTo(t1);
    assertThat(b.createdAt()).isEqualTo(t2);
    assertThat(a.toString()).hasSize(26).isLessThan(b.toString());
    assertThat(a).isLessThan(b);
  }

  @Test
  void idsAreUniqueWithinOneMillisecond() {
    Clock c = Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);
    Set<ItemId> ids = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      ids.add(ItemId.generate(c));
    }
    assertThat(ids).hasSize(10_000);
  }

  @Test
  void parsesItsOwnTextAndLowerCase() {
    ItemId id = ItemId.generate(Clock.systemUTC());
    assertThat(ItemId.parse(id.toString())).isEqualTo(id);
    assertThat(ItemId.parse(id.toString().toLowerCase(java.util.Locale.ROOT))).isEqualTo(id);
  }

  @Test
  void rejectsBadTextNamingTheValue() {
    assertThatThrownBy(() -> ItemId.parse("short"))
        .hasMessageContaining("'short'")
        .hasMessageContaining("26");
    assertThatThrownBy(() -> ItemId.parse("01JDQ4Z8X3K2M7N9P0QRSTVWXU"))
        .hasMessageContaining("'U' at position 26");
    assertThatThrownBy(() -> ItemId.parse("81JDQ4Z8X3K2M7N9P0QRSTVWXY"))
        .hasMessageContaining("out of range");
    assertThatThrownBy(() -> ItemId.parse("01JDQ4Z8X3K2M7N9P0QRSTVW\nY"))
        .hasMessageContaining("\\x0a");
  }
}
