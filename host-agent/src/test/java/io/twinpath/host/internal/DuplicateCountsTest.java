package io.twinpath.host.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.twinpath.core.DeviceId;
import io.twinpath.core.item.ItemId;
import io.twinpath.host.internal.config.ConfigLoader;
import io.twinpath.host.internal.config.HostConfig;
import io.twinpath.host.internal.status.DuplicateBook;
import io.twinpath.host.internal.status.OutcomeJournal;
import io.twinpath.host.internal.status.StatusReport;
import io.twinpath.host.testing.HostFixture;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Possible duplicates as the host keeps them: on disk as soon as they are counted (or merged from a
 * peer), across a restart before the outcome, and totalled by {@code status} over every item kept,
 * not only the recent outcomes it lists. Real files and the real command line, no daemon.
 */
class DuplicateCountsTest {
  static final DeviceId LAPTOP = DeviceId.of("laptop");
  static final DeviceId DONGLE = DeviceId.of("dongle");

  @TempDir Path home;

  HostFixture host() throws Exception {
    return new HostFixture(home, "");
  }

  static JsonObject statusJson(HostFixture host) {
    HostFixture.Result r = host.run("", "status", "--json", "--no-broker");
    assertThat(r.exit()).as(r.err()).isZero();
    return new Gson().fromJson(r.out(), JsonObject.class);
  }

  @Test
  void countsAreKeptAsLongAsTheEngineMayKeepTheItemsRecord() throws Exception {
    HostConfig config = ConfigLoader.load(host().configFile(), host().dirs());
    Duration keep = config.duplicatesKeep();
    assertThat(keep).isEqualTo(config.expiry().plus(HostConfig.RECORD_RETENTION));
    Instant now = Instant.parse("2026-12-01T00:00:00Z");
    DuplicateBook book = new DuplicateBook(home.resolve("duplicates.json"), keep);
    book.raise("gone", 1, now.minus(keep).minusSeconds(3600));
    book.raise("kept", 2, now.minus(keep).plusSeconds(3600));
    book.raise("new", 1, now);
    assertThat(new DuplicateBook(home.resolve("duplicates.json"), keep).counts())
        .containsOnlyKeys("kept", "new");
  }

  @Test
  void aCountSurvivesARestartBetweenTheFlagAndTheOutcome() throws Exception {
    HostFixture host = host();
    HostConfig config = ConfigLoader.load(host.configFile(), host.dirs());
    ItemId item = ItemId.generate(Clock.systemUTC());

    EngineBridge before = new EngineBridge(config, Clock.systemUTC());
    before.possibleDuplicate(item, LAPTOP, 1);
    before.flush();
    before.close(); // the daemon stops before the outcome arrives

    EngineBridge after = new EngineBridge(config, Clock.systemUTC());
    after.delivered(item, DONGLE, Instant.now(), "250 2.0.0 OK");
    after.flush();
    after.close();

    List<JsonObject> outcomes = new OutcomeJournal(config.outcomesFile()).recent(10);
    assertThat(outcomes).hasSize(1);
    assertThat(outcomes.get(0).get("possibleDuplicate").getAsInt()).isEqualTo(1);
    JsonObject s = statusJson(host);
    assertThat(s.get("possibleDuplicates").getAsInt()).isEqualTo(1);
  }

  @Test
  void aCountMergedFromThePeerAfterTheOutcomeIsKeptAndShown() throws Exception {
    HostFixture host = host();
    HostConfig config = ConfigLoader.load(host.configFile(), host.dirs());
    ItemId item = ItemId.generate(Clock.systemUTC());
    EngineBridge bridge = new EngineBridge(config, Clock.systemUTC());
    bridge.delivered(item, LAPTOP, Instant.now(), "250 OK");
    // the dongle's count reaches this device after the outcome was recorded
    bridge.possibleDuplicate(item, DONGLE, 2);
    bridge.flush();
    bridge.close();

    JsonObject s = statusJson(host);
    assertThat(s.get("possibleDuplicates").getAsInt()).isEqualTo(2);
    JsonObject shown = s.getAsJsonArray("recent").get(0).getAsJsonObject();
    assertThat(shown.get("possibleDuplicate").getAsInt()).isEqualTo(2);
    JsonObject d = s.getAsJsonArray("duplicates").get(0).getAsJsonObject();
    assertThat(d.get("id").getAsString()).isEqualTo(item.toString());
    assertThat(d.get("outcome").getAsString()).isEqualTo("delivered");
  }

  @Test
  void statusTotalsEveryItemKeptBeyondTheRecentOutcomes() throws Exception {
    HostFixture host = host();
    HostConfig config = ConfigLoader.load(host.configFile(), host.dirs());
    EngineBridge bridge = new EngineBridge(config, Clock.systemUTC());
    int outcomes = StatusReport.RECENT + 15;
    Map<String, Integer> expected = new HashMap<>();
    List<ItemId> items = new ArrayList<>();
    for (int i = 0; i < outcomes; i++) {
      ItemId item = ItemId.generate(Clock.systemUTC());
      items.add(item);
      if (i % 3 == 0) { // flagged, most of them older than the outcomes listed
        int n = 1 + i % 2;
        bridge.possibleDuplicate(item, i % 2 == 0 ? LAPTOP : DONGLE, n);
        expected.put(item.toString(), n);
      }
      bridge.delivered(item, LAPTOP, Instant.now(), "250 OK " + i);
    }
    bridge.flush();
    bridge.close();

    JsonObject s = statusJson(host);
    assertThat(s.getAsJsonArray("recent")).hasSize(StatusReport.RECENT);
    int total = expected.values().stream().mapToInt(Integer::intValue).sum();
    assertThat(s.get("possibleDuplicates").getAsInt()).isEqualTo(total);
    Map<String, Integer> listed = new HashMap<>();
    for (JsonElement e : s.getAsJsonArray("duplicates")) {
      JsonObject d = e.getAsJsonObject();
      listed.put(d.get("id").getAsString(), d.get("possibleDuplicates").getAsInt());
      assertThat(d.get("outcome").getAsString()).isEqualTo("delivered");
    }
    assertThat(listed).isEqualTo(expected);
    // the oldest flagged item is far beyond the recent outcomes, and still named
    assertThat(listed).containsKey(items.get(0).toString());

    HostFixture.Result text = host.run("", "status", "--no-broker");
    assertThat(text.exit()).as(text.err()).isZero();
    assertThat(text.out())
        .contains("Possible duplicates: " + total)
        .contains(items.get(0) + "  1  delivered via laptop");
  }
}
