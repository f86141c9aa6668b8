package io.twinpath.core.inbound;

import java.util.Locale;
import java.util.function.BooleanSupplier;

/** When a secondary fetches inbound mail over its own path. The host always fetches. */
public enum FetchPolicy {
  /** Fetch all the time (both devices hold every message sooner; costs cellular data). */
  ALWAYS,
  /** Fetch only while the host is offline or its own path is down (the default). */
  WHILE_HOST_UNAVAILABLE;

  /**
   * The gate for {@link MailFetcher#watch}: whether to fetch now, given whether the host is
   * available (online on MQTT with a working path).
   */
  public BooleanSupplier gate(BooleanSupplier hostAvailable) {
    return this == ALWAYS ? () -> true : () -> !hostAvailable.getAsBoolean();
  }

  /** Parses {@code always} or {@code while-host-unavailable}. */
  public static FetchPolicy parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    return switch (t) {
      case "always" -> ALWAYS;
      case "while-host-unavailable" -> WHILE_HOST_UNAVAILABLE;
      default ->
          throw new IllegalArgumentException(
              "inbound.fetchPolicy '"
                  + text
                  + "' is not accepted; use always or while-host-unavailable");
    };
  }
}
