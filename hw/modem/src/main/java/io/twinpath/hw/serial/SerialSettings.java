package io.twinpath.hw.serial;

import java.util.Objects;

/** How to open a serial port. Immutable and validated. */
public final class SerialSettings {
  /** Flow control on the line. */
  public enum FlowControl {
    NONE,
    RTS_CTS
  }

  private static final int[] BAUD_RATES = {
    9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600, 3000000
  };

  private final String device;
  private final int baudRate;
  private final FlowControl flowControl;

  private SerialSettings(String device, int baudRate, FlowControl flowControl) {
    this.device = device;
    this.baudRate = baudRate;
    this.flowControl = flowControl;
  }

  /**
   * @param device a tty path such as {@code /dev/ttyUSB2}, {@code /dev/ttyS0} or a pty link
   * @throws IllegalArgumentException naming the value when it is not acceptable
   */
  public static SerialSettings of(String device, int baudRate, FlowControl flowControl) {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(flowControl, "flowControl");
    if (device.isBlank() || !device.startsWith("/")) {
      throw new IllegalArgumentException(
          "serial device '" + device + "' is not an absolute path like /dev/ttyUSB2");
    }
    boolean known = false;
    for (int b : BAUD_RATES) {
      known |= b == baudRate;
    }
    if (!known) {
      throw new IllegalArgumentException(
          "baud rate "
              + baudRate
              + " is not supported; use one of 9600, 19200, 38400, 57600, 115200, 230400,"
              + " 460800, 921600, 3000000");
    }
    return new SerialSettings(device, baudRate, flowControl);
  }

  public static SerialSettings of(String device) {
    return of(device, 115200, FlowControl.NONE);
  }

  public String device() {
    return device;
  }

  public int baudRate() {
    return baudRate;
  }

  public FlowControl flowControl() {
    return flowControl;
  }

  @Override
  public String toString() {
    return device + "@" + baudRate + "/" + flowControl;
  }
}
