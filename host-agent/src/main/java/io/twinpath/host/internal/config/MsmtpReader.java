package io.twinpath.host.internal.config;

import io.twinpath.core.config.SettingException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The msmtp file format, and nothing about what the keys mean: one {@code key value} per line,
 * {@code #} comment lines, values optionally in double quotes ({@code \"} and {@code \\} inside),
 * and blocks started by {@code defaults}, {@code account NAME [: PARENT[, PARENT]]} (parents
 * defined above it) and {@code twinpath}. Each {@code key value} line goes to a {@link Handler} as
 * it is read, so errors come in the order of the file; each names the file and line.
 */
final class MsmtpReader {
  /** Receives the lines of the blocks. */
  interface Handler {
    /**
     * One {@code key value} line of {@code block}; the key is in lower case, the value unquoted.
     *
     * @throws SettingException when the key or value is not accepted
     */
    void line(Block block, int number, String key, String value);

    /** True when a value of {@code key} must never be shown in a message. */
    boolean isSecret(String key);
  }

  /** The blocks of one file. */
  record Blocks(Block defaults, Map<String, Block> accounts, Block twinpath) {}

  private final String fileName;
  private final Handler handler;
  private final Block defaults;
  private final Block twinpath;
  private final Map<String, Block> accounts = new LinkedHashMap<>();

  private MsmtpReader(String fileName, Handler handler) {
    this.fileName = fileName;
    this.handler = handler;
    this.defaults = new Block(Block.Kind.DEFAULTS, "defaults", 0, fileName, List.of());
    this.twinpath = new Block(Block.Kind.TWINPATH, "twinpath", 0, fileName, List.of());
  }

  /**
   * Reads {@code text}.
   *
   * @param fileName names the file in messages, e.g. {@code host.conf}
   * @throws SettingException for the first line that is not accepted
   */
  static Blocks read(String text, String fileName, Handler handler) {
    MsmtpReader r = new MsmtpReader(fileName, handler);
    r.readAll(text);
    return new Blocks(r.defaults, Collections.unmodifiableMap(r.accounts), r.twinpath);
  }

  private String at(int line) {
    return fileName + ":" + line;
  }

  private void readAll(String text) {
    Block current = null;
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      int n = i + 1;
      String raw = lines[i].strip();
      if (raw.isEmpty() || raw.startsWith("#")) {
        continue;
      }
      int sp = indexOfWhitespace(raw);
      String key = (sp < 0 ? raw : raw.substring(0, sp)).toLowerCase(Locale.ROOT);
      String rest = sp < 0 ? "" : raw.substring(sp).strip();
      if (key.equals("defaults") || key.equals("twinpath")) {
        if (!rest.isEmpty()) {
          throw new SettingException(
                  key,
                  rest,
                  "it starts a block and takes no value; put settings on the lines below")
              .at(at(n));
        }
        current = key.equals("defaults") ? defaults : twinpath;
        continue;
      }
      if (key.equals("account") && current != twinpath) {
        // in the twinpath block, "account NAME" chooses the account instead
        current = accountHeader(n, rest);
        continue;
      }
      String value = unquote(n, key, rest);
      if (current == null) {
        throw reject(
            n,
            key,
            value,
            "it comes before any block; start with a 'defaults', 'account NAME' or 'twinpath'"
                + " line");
      }
      handler.line(current, n, key, value);
    }
  }

  private SettingException reject(int n, String key, String value, String accepted) {
    return handler.isSecret(key)
        ? SettingException.hidden(key, accepted).at(at(n))
        : new SettingException(key, value, accepted).at(at(n));
  }

  private static int indexOfWhitespace(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  private Block accountHeader(int n, String rest) {
    String name = rest;
    List<String> parents = new ArrayList<>();
    int colon = rest.indexOf(':');
    if (colon >= 0) {
      name = rest.substring(0, colon).strip();
      for (String p : rest.substring(colon + 1).split(",")) {
        String parent = p.strip();
        if (parent.isEmpty()) {
          throw new SettingException(
                  "account", rest, "a parent name is empty; write 'account NAME : OTHER[, OTHER]'")
              .at(at(n));
        }
        if (!accounts.containsKey(parent)) {
          throw new SettingException(
                  "account",
                  rest,
                  "it inherits from '"
                      + parent
                      + "', which is not defined above it; accounts defined so far: "
                      + (accounts.isEmpty() ? "none" : String.join(", ", accounts.keySet())))
              .at(at(n));
        }
        parents.add(parent);
      }
    }
    if (!name.matches("[A-Za-z0-9._@+-]{1,64}")) {
      throw new SettingException(
              "account", rest, "use 1-64 letters, digits and . _ @ + - for an account name")
          .at(at(n));
    }
    Block before = accounts.get(name);
    if (before != null) {
      throw new SettingException(
              "account",
              rest,
              "account '"
                  + name
                  + "' is defined twice (first on line "
                  + before.line
                  + "); give each account its own name")
          .at(at(n));
    }
    Block b = new Block(Block.Kind.ACCOUNT, name, n, at(n), parents);
    accounts.put(name, b);
    return b;
  }

  private String unquote(int n, String key, String rest) {
    if (!rest.startsWith("\"")) {
      return rest;
    }
    StringBuilder b = new StringBuilder();
    int i = 1;
    while (i < rest.length()) {
      char c = rest.charAt(i);
      if (c == '\\' && i + 1 < rest.length()) {
        b.append(rest.charAt(i + 1));
        i += 2;
        continue;
      }
      if (c == '"') {
        if (i != rest.length() - 1) {
          throw reject(
              n,
              key,
              rest,
              "it has text after its closing quote; quote the whole value, and write \\\" for a"
                  + " quote inside it");
        }
        return b.toString();
      }
      b.append(c);
      i++;
    }
    throw reject(n, key, rest, "it has an opening quote but no closing quote on the same line");
  }
}
