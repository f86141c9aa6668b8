package io.twinpath.dongle;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import io.twinpath.dongle.internal.StatusText;
import org.junit.jupiter.api.Test;

/** The status lines for the modem and the broker say how often they had to be recovered. */
class StatusTextTest {
  private static String render(String modem) {
    return StatusText.render(
        new Gson()
            .fromJson(
                "{\"status\":{\"device\":\"dongle\"},\"health\":{\"device\":\"dongle\","
                    + "\"state\":\"running\",\"modem\":"
                    + modem
                    + "},\"states\":{}}",
                JsonObject.class));
  }

  @Test
  void aModemThatWasRecoveredSaysSo() {
    String text =
        render(
            "{\"summary\":\"registered on Mint (LTE), data up\",\"recovery\":\"reset line\","
                + "\"recoveries\":2,\"lastRecovery\":\"2026-11-26T12:00:00Z reset line attempt 1:"
                + " recovered\"}");
    assertThat(text)
        .contains(
            "modem    registered on Mint (LTE), data up; 2 recoveries by reset line (last:"
                + " 2026-11-26T12:00:00Z reset line attempt 1: recovered)");
  }

  @Test
  void aModemNeverRecoveredShowsItsSummaryOnly() {
    String text =
        render("{\"summary\":\"registered, data up\",\"recovery\":\"reopen\",\"recoveries\":0}");
    assertThat(text).contains("modem    registered, data up\n");
  }

  @Test
  void aBrokerThatWasRestartedSaysSo() {
    String text =
        StatusText.render(
            new Gson()
                .fromJson(
                    "{\"status\":{},\"health\":{\"device\":\"dongle\",\"broker\":{"
                        + "\"mode\":\"embedded\",\"url\":\"tcp://127.0.0.1:1883\","
                        + "\"clients\":2,\"auth\":false,\"restarts\":1,\"lastRestart\":"
                        + "\"2026-12-07T23:00:00Z: accepts connections but does not answer MQTT"
                        + " CONNECT within 3 s\"}},\"states\":{}}",
                    JsonObject.class));
    assertThat(text)
        .contains(
            "broker   embedded tcp://127.0.0.1:1883, 2 clients connected, restarted 1 time because"
                + " it stopped answering (last: 2026-12-07T23:00:00Z: accepts connections but does"
                + " not answer MQTT CONNECT within 3 s)\n");
  }
}
