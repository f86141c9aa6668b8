package io.twinpath.modemsim.internal;

import org.jspecify.annotations.Nullable;

/**
 * The EC25 data side's state, shared by its command sets and socket events: PDP contexts, socket
 * slots, the last error ({@code +QIGETERROR}) and the socket in transparent mode. Loop thread only.
 */
final class QuectelState {
  static final int SOCKETS = 12;
  static final int CONTEXTS = 16;
  static final int MAX_SEND = 1460;
  static final int MAX_READ = 1500;

  final @Nullable QuectelSocket[] socks = new QuectelSocket[SOCKETS];
  final boolean[] active = new boolean[CONTEXTS + 1];
  final boolean[] broken = new boolean[CONTEXTS + 1];
  final String[] apn = new String[CONTEXTS + 1];
  int lastError;
  int dataSock = -1;

  QuectelState() {
    java.util.Arrays.fill(apn, "");
  }

  static String errorText(int code) {
    return switch (code) {
      case 0 -> "No error";
      case 552 -> "Invalid parameters";
      case 561 -> "Open PDP context failed";
      case 563 -> "Socket identity has been used";
      case 565 -> "DNS parse failed";
      case 566 -> "Socket connect failed";
      case 567 -> "Socket has been closed";
      case 569 -> "Operation timeout";
      case 570 -> "PDP context broken down";
      case 572 -> "Operation not allowed";
      case 573 -> "APN not configured";
      default -> "Unknown error";
    };
  }
}
