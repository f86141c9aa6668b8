package io.twinpath.core;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The name of one device (a laptop, a dongle, a gateway). It is part of MQTT topics, so it is
 * limited to lower-case letters, digits and dashes.
 */
public final class DeviceId implements Comparable<DeviceId> {
  private static final Pattern VALID = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?");

  private final String value;

  private DeviceId(String value) {
    this.value = value;
  }

  /**
   * @throws IllegalArgumentException naming the value and what is accepted
   */
  public static DeviceId of(String value) {
    Objects.requireNonNull(value, "device id");
    if (!VALID.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "device id '"
              + value
              + "' is not accepted; use 1-64 lower-case letters, digits and inner dashes,"
              + " e.g. laptop or dongle-1");
    }
    return new DeviceId(value);
  }

  public String value() {
    return value;
  }

  @Override
  public int compareTo(DeviceId o) {
    return value.compareTo(o.value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeviceId && ((DeviceId) o).value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return value;
  }
}
