package io.twinpath.modemsim.internal;

/**
 * A command failed: the final result is {@code ERROR}, {@code +CME ERROR} or {@code +CMS ERROR}.
 */
final class AtError extends Exception {
  private static final long serialVersionUID = 1L;

  /** Which family of error. */
  enum Kind {
    PLAIN,
    CME,
    CMS
  }

  private final Kind kind;
  private final int code;

  private AtError(Kind kind, int code) {
    super(kind + " " + code, null, false, false);
    this.kind = kind;
    this.code = code;
  }

  static AtError plain() {
    return new AtError(Kind.PLAIN, 0);
  }

  static AtError cme(int code) {
    return new AtError(Kind.CME, code);
  }

  static AtError cms(int code) {
    return new AtError(Kind.CMS, code);
  }

  Kind kind() {
    return kind;
  }

  int code() {
    return code;
  }

  /**
   * The final result line for the current {@code AT+CMEE} mode. {@code +CMS ERROR} (27.005) is not
   * turned off by {@code CMEE=0}: it is numeric unless {@code CMEE=2}.
   */
  String line(int cmee) {
    if (kind == Kind.PLAIN || (cmee == 0 && kind == Kind.CME)) {
      return "ERROR";
    }
    String prefix = kind == Kind.CME ? "+CME ERROR: " : "+CMS ERROR: ";
    if (cmee < 2) {
      return prefix + code;
    }
    return prefix + (kind == Kind.CME ? cmeText(code) : cmsText(code));
  }

  static String cmeText(int code) {
    return switch (code) {
      case 3 -> "operation not allowed";
      case 4 -> "operation not supported";
      case 10 -> "SIM not inserted";
      case 11 -> "SIM PIN required";
      case 12 -> "SIM PUK required";
      case 13 -> "SIM failure";
      case 14 -> "SIM busy";
      case 16 -> "incorrect password";
      case 30 -> "no network service";
      case 31 -> "network timeout";
      case 107 -> "GPRS services not allowed";
      case 148 -> "unspecified GPRS error";
      case 149 -> "PDP authentication failure";
      default -> "unknown";
    };
  }

  static String cmsText(int code) {
    return switch (code) {
      case 300 -> "ME failure";
      case 302 -> "operation not allowed";
      case 304 -> "invalid PDU mode parameter";
      case 305 -> "invalid text mode parameter";
      case 310 -> "SIM not inserted";
      case 311 -> "SIM PIN required";
      case 313 -> "SIM failure";
      case 314 -> "SIM busy";
      case 316 -> "SIM PUK required";
      case 322 -> "memory full";
      case 330 -> "SMSC address unknown";
      case 331 -> "no network service";
      case 332 -> "network timeout";
      default -> "unknown error";
    };
  }
}
