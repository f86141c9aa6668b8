package io.twinpath.core.item;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinpath.core.DeviceId;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutboundItemTest {
  private static final String SHA = "ab".repeat(32);

  private static OutboundItem item() {
    ItemId id = ItemId.generate(Clock.systemUTC());
    return OutboundItem.of(
        id,
        Envelope.of("me@x.org", List.of("a@y.org", "ü@bücher.example")),
        id.createdAt(),
        id.createdAt().plusSeconds(3600),
        1234,
        SHA.toUpperCase(java.util.Locale.ROOT),
        "<m1@x.org>",
        DeviceId.of("laptop"));
  }

  @Test
  void roundTripsThroughJson() {
    OutboundItem i = item();
    assertThat(i.sha256()).isEqualTo(SHA);
    OutboundItem back = OutboundItem.fromJson(i.toJson());
    assertThat(back).isEqualTo(i);
    assertThat(back.envelope().recipients()).containsExactly("a@y.org", "ü@bücher.example");
    assertThat(i.toJson()).contains("\"version\":1").contains("\"origin\":\"laptop\"");
  }

  @Test
  void refusesBadValuesNamingThem() {
    OutboundItem i = item();
    assertThatThrownBy(
            () ->
                OutboundItem.of(
                    i.id(),
                    i.envelope(),
                    i.createdAt(),
                    i.createdAt().minusSeconds(1),
                    1,
                    SHA,
                    "<m>",
                    i.origin()))
        .hasMessageContaining("is before createdAt");
    assertThatThrownBy(
            () ->
                OutboundItem.of(
                    i.id(),
                    i.envelope(),
                    i.createdAt(),
                    i.expiresAt(),
                    1,
                    "xyz",
                    "<m>",
                    i.origin()))
        .hasMessageContaining("sha256 'xyz'");
    assertThatThrownBy(
            () ->
                OutboundItem.of(
                    i.id(),
                    i.envelope(),
                    i.createdAt(),
                    i.expiresAt(),
                    1,
                    SHA,
                    "<a\r\nb>",
                    i.origin()))
        .hasMessageContaining("message-id");
    assertThatThrownBy(() -> OutboundItem.fromJson("[1]"))
        .hasMessageContaining("not a JSON object");
    assertThatThrownBy(() -> OutboundItem.fromJson("{\"version\":1}"))
        .hasMessageContaining("'recipients'");
    String noSize = i.toJson().replace("\"size\":1234", "\"size\":\"big\"");
    assertThatThrownBy(() -> OutboundItem.fromJson(noSize)).hasMessageContaining("'size'");
    String badTime = i.toJson().replace(i.expiresAt().toString(), "tomorrow");
    assertThatThrownBy(() -> OutboundItem.fromJson(badTime))
        .hasMessageContaining("'expiresAt' is 'tomorrow'");
    assertThat(Instant.EPOCH).isNotNull();
  }
}
