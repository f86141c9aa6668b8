package io.twinpath.modemsim.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One command out of an AT command line: {@code +CSQ}, {@code +CPIN?}, {@code +CGDCONT=1,"IP","x"},
 * {@code +CREG=?} or a basic command like {@code E0}.
 */
final class AtCommand {
  /** The syntax forms of 3GPP 27.007. */
  enum Type {
    EXEC,
    READ,
    TEST,
    SET
  }

  private final String name;
  private final Type type;
  private final String args;
  private final List<String> params;
  private final List<Boolean> quoted;

  private AtCommand(String name, Type type, String args) {
    this.name = name;
    this.type = type;
    this.args = args;
    this.params = new ArrayList<>();
    this.quoted = new ArrayList<>();
    splitParams(args);
  }

  /**
   * Splits the part of a line after {@code AT} into commands. Extended commands are separated by
   * {@code ;}; basic commands ({@code E0V1}) follow each other directly.
   *
   * @throws IllegalArgumentException when the line cannot be parsed
   */
  static List<AtCommand> parseLine(String afterAt) {
    List<AtCommand> out = new ArrayList<>();
    int i = 0;
    int n = afterAt.length();
    while (i < n) {
      char c = afterAt.charAt(i);
      if (c == ';' || c == ' ') {
        i++;
        continue;
      }
      if (c == '+' || c == '$' || c == '^' || c == '#') {
        int j = i + 1;
        while (j < n && isNameChar(afterAt.charAt(j))) {
          j++;
        }
        if (j == i + 1) {
          throw new IllegalArgumentException("empty command name");
        }
        String name = afterAt.substring(i, j).toUpperCase(Locale.ROOT);
        if (j < n && afterAt.startsWith("=?", j)) {
          out.add(new AtCommand(name, Type.TEST, ""));
          i = j + 2;
        } else if (j < n && afterAt.charAt(j) == '=') {
          int end = endOfArgs(afterAt, j + 1);
          out.add(new AtCommand(name, Type.SET, afterAt.substring(j + 1, end)));
          i = end;
        } else if (j < n && afterAt.charAt(j) == '?') {
          out.add(new AtCommand(name, Type.READ, ""));
          i = j + 1;
        } else {
          out.add(new AtCommand(name, Type.EXEC, ""));
          i = j;
        }
        continue;
      }
      // basic command: [&]letter digits*
      int j = i;
      if (c == '&') {
        j++;
      }
      if (j >= n || !Character.isLetter(afterAt.charAt(j))) {
        throw new IllegalArgumentException("unexpected '" + c + "'");
      }
      j++;
      String name = afterAt.substring(i, j).toUpperCase(Locale.ROOT);
      if (j < n && afterAt.charAt(j) == '?') {
        out.add(new AtCommand(name, Type.READ, ""));
        i = j + 1;
        continue;
      }
      int k = j;
      while (k < n && Character.isDigit(afterAt.charAt(k))) {
        k++;
      }
      out.add(new AtCommand(name, k > j ? Type.SET : Type.EXEC, afterAt.substring(j, k)));
      i = k;
    }
    return out;
  }

  private static boolean isNameChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '&';
  }

  private static int endOfArgs(String s, int from) {
    boolean inQuote = false;
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"') {
        inQuote = !inQuote;
      } else if (c == ';' && !inQuote) {
        return i;
      }
    }
    return s.length();
  }

  private void splitParams(String s) {
    if (s.isEmpty()) {
      return;
    }
    StringBuilder cur = new StringBuilder();
    boolean inQuote = false;
    boolean wasQuoted = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"') {
        inQuote = !inQuote;
        wasQuoted = true;
      } else if (c == ',' && !inQuote) {
        add(cur, wasQuoted);
        cur.setLength(0);
        wasQuoted = false;
      } else {
        cur.append(c);
      }
    }
    add(cur, wasQuoted);
  }

  private void add(StringBuilder cur, boolean wasQuoted) {
    params.add(wasQuoted ? cur.toString() : cur.toString().trim());
    quoted.add(wasQuoted);
  }

  String name() {
    return name;
  }

  Type type() {
    return type;
  }

  /** The raw text after {@code =}. */
  String args() {
    return args;
  }

  int paramCount() {
    return params.size();
  }

  boolean has(int i) {
    return i < params.size() && !params.get(i).isEmpty();
  }

  /** Parameter {@code i} without quotes. */
  String str(int i) throws AtError {
    if (i >= params.size()) {
      throw AtError.plain();
    }
    return params.get(i);
  }

  String str(int i, String dflt) {
    return has(i) ? params.get(i) : dflt;
  }

  /** Parameter {@code i} as a number; {@code ERROR} when missing or not a number. */
  int integer(int i) throws AtError {
    if (!has(i) || quoted.get(i)) {
      throw AtError.plain();
    }
    try {
      return Integer.parseInt(params.get(i));
    } catch (NumberFormatException e) {
      throw AtError.plain();
    }
  }

  int integer(int i, int dflt) throws AtError {
    return has(i) ? integer(i) : dflt;
  }

  /** Optional parameter {@code i} in {@code [min, max]}, {@code dflt} when absent. */
  int integerOr(int i, int dflt, int min, int max) throws AtError {
    return has(i) ? integer(i, min, max) : dflt;
  }

  /** Parameter {@code i} as a number in {@code [min, max]}; {@code ERROR} otherwise. */
  int integer(int i, int min, int max) throws AtError {
    int v = integer(i);
    if (v < min || v > max) {
      throw AtError.plain();
    }
    return v;
  }

  @Override
  public String toString() {
    return switch (type) {
      case EXEC -> name;
      case READ -> name + "?";
      case TEST -> name + "=?";
      case SET -> name + (name.startsWith("+") ? "=" : "") + args;
    };
  }
}
