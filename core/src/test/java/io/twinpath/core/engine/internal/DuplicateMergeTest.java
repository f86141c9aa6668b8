package io.twinpath.core.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.twinpath.core.DeviceId;
import io.twinpath.core.engine.ItemMeta;
import io.twinpath.core.item.Envelope;
import io.twinpath.core.item.ItemId;
import io.twinpath.core.wire.Json;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One possible-duplicate count per item, merged from each device's own share: a larger count from a
 * peer never hides one counted here.
 */
class DuplicateMergeTest {
  static final DeviceId LAPTOP = DeviceId.of("laptop");
  static final DeviceId DONGLE = DeviceId.of("dongle");

  static ItemRecord record() {
    Instant now = Instant.parse("2026-12-01T00:00:00Z");
    return new ItemRecord(
        new ItemMeta(
            ItemId.generate(Clock.systemUTC()),
            Envelope.of("a@example.org", List.of("b@example.org")),
            now,
            now.plusSeconds(3600),
            100,
            "0".repeat(64),
            "<m@example.org>",
            LAPTOP));
  }

  static JsonObject wire(ItemRecord r) {
    return Outbox.outcomeFields(r);
  }

  @Test
  void aLargerPeerCountDoesNotHideOneCountedHere() {
    ItemRecord laptop = record();
    ItemRecord dongle = record();
    laptop.countDuplicate(LAPTOP);
    dongle.countDuplicate(DONGLE);
    dongle.countDuplicate(DONGLE);

    // keeping the larger total would say 2; three were counted
    assertThat(laptop.knowsMoreDuplicatesThan(wire(dongle))).isTrue();
    assertThat(laptop.mergeDuplicates(wire(dongle))).isTrue();
    assertThat(laptop.duplicates).isEqualTo(3);

    assertThat(dongle.mergeDuplicates(wire(laptop))).isTrue();
    assertThat(dongle.duplicates).isEqualTo(3);
    // both agree now: nobody answers again
    assertThat(dongle.knowsMoreDuplicatesThan(wire(laptop))).isFalse();
    assertThat(laptop.knowsMoreDuplicatesThan(wire(dongle))).isFalse();
  }

  @Test
  void mergingTheSameCountAgainChangesNothing() {
    ItemRecord laptop = record();
    ItemRecord dongle = record();
    dongle.countDuplicate(DONGLE);
    assertThat(laptop.mergeDuplicates(wire(dongle))).isTrue();
    assertThat(laptop.mergeDuplicates(wire(dongle))).isFalse();
    assertThat(laptop.duplicates).isEqualTo(1);
    laptop.countDuplicate(LAPTOP);
    assertThat(laptop.duplicates).isEqualTo(2);
  }

  @Test
  void aTotalWithoutSharesIsStillMerged() throws Exception {
    ItemRecord laptop = record();
    laptop.countDuplicate(LAPTOP);
    JsonObject old = Json.object("{\"duplicates\":4}");
    assertThat(laptop.mergeDuplicates(old)).isTrue();
    assertThat(laptop.duplicates).isEqualTo(4);
    laptop.countDuplicate(LAPTOP);
    assertThat(laptop.duplicates).isEqualTo(5);
  }

  @Test
  void theSharesSurviveTheRecordOnDisk() throws Exception {
    ItemRecord laptop = record();
    laptop.countDuplicate(LAPTOP);
    laptop.countDuplicate(DONGLE);
    ItemRecord back = ItemRecord.fromJson(laptop.toJson());
    assertThat(back.duplicates).isEqualTo(2);
    assertThat(back.duplicatesBy).containsEntry("laptop", 1).containsEntry("dongle", 1);
  }
}
