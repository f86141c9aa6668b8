package io.twinpath.host.internal.config;

import io.twinpath.core.config.Setting;
import io.twinpath.core.config.SettingException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads {@code host.conf} into a {@link HostConfig}. The format follows msmtp ({@link
 * MsmtpReader}); every key is declared once in {@link HostKeys} and each value is parsed once, as
 * its line is read; {@link Accounts} resolves what an account inherits and {@link
 * HostConfigAssembler} makes the configuration. Every error has the one shape of {@link
 * SettingException}: the file and line, the key, the value (never a password's) and what is
 * accepted.
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  /**
   * Loads the config file: {@code explicit} when given (it must exist), otherwise the XDG default
   * ({@code $XDG_CONFIG_HOME/twinpath/host.conf}), and all defaults when that does not exist.
   */
  public static HostConfig load(@Nullable Path explicit, XdgDirs dirs) throws ConfigException {
    Path file = explicit != null ? explicit : dirs.defaultConfigFile();
    String text;
    try {
      byte[] bytes = Files.readAllBytes(file);
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (NoSuchFileException e) {
      if (explicit != null) {
        throw new ConfigException(
            "the config file " + file + " does not exist; give an existing file to --config");
      }
      return parse("", null, dirs);
    } catch (CharacterCodingException e) {
      throw new ConfigException("the config file " + file + " is not valid UTF-8 text");
    } catch (IOException e) {
      throw new ConfigException("the config file " + file + " cannot be read: " + e, e);
    }
    return parse(text, file, dirs);
  }

  /** Parses config text; {@code file} names it in messages (null: no file, all defaults). */
  public static HostConfig parse(String text, @Nullable Path file, XdgDirs dirs)
      throws ConfigException {
    String fileName = file == null ? "(defaults)" : String.valueOf(file.getFileName());
    try {
      HostKeys keys = new HostKeys(dirs);
      MsmtpReader.Blocks blocks = MsmtpReader.read(text, fileName, new LineParser(keys, fileName));
      return new HostConfigAssembler(keys, blocks, fileName).build(file);
    } catch (SettingException e) {
      throw new ConfigException(e);
    }
  }

  /** Checks each line's key against the key table and parses its value, once. */
  private static final class LineParser implements MsmtpReader.Handler {
    private final HostKeys keys;
    private final String fileName;

    LineParser(HostKeys keys, String fileName) {
      this.keys = keys;
      this.fileName = fileName;
    }

    @Override
    public boolean isSecret(String key) {
      return keys.isSecret(key);
    }

    @Override
    public void line(Block block, int number, String key, String value) {
      String at = fileName + ":" + number;
      Setting<?> s = keys.find(block.kind, key);
      if (s == null) {
        throw SettingException.hidden(key, unknown(block, key)).at(at);
      }
      if (value.isEmpty()) {
        SettingException e = new SettingException(key, "", s.parser().accepted()).at(at);
        throw s.isSecret() ? e.hideValue() : e;
      }
      Block.Entry before = block.entry(key);
      if (before != null) {
        SettingException e =
            new SettingException(
                    key,
                    value,
                    "it is set twice in "
                        + block.describe()
                        + " (first on line "
                        + before.line()
                        + "); keep one")
                .at(at);
        throw s.isSecret() ? e.hideValue() : e;
      }
      Object parsed;
      try {
        parsed = s.parse(value);
      } catch (SettingException e) {
        throw e.at(at);
      }
      Block.Entry entry = new Block.Entry(s, number, at, value, parsed);
      block.put(entry);
      for (List<Setting<String>> group : keys.passwordGroups) {
        if (group.contains(s)) {
          for (Setting<String> other : group) {
            Block.Entry o = block.entry(other.key());
            if (other != s && o != null) {
              throw entry.reject(
                  block.describe()
                      + " sets both '"
                      + o.key()
                      + "' and '"
                      + key
                      + "'; keep one way of giving the password");
            }
          }
        }
      }
    }

    private String unknown(Block block, String key) {
      if (HostKeys.MSMTP_ONLY.contains(key)) {
        return "it is an msmtp setting that twinpath-host does not use"
            + (key.equals("tls_starttls")
                ? "; write 'tls starttls' (STARTTLS, port 587) or 'tls on' (TLS from the first"
                    + " byte, port 465)"
                : "; remove it");
      }
      Block.Kind other =
          block.kind == Block.Kind.TWINPATH ? Block.Kind.ACCOUNT : Block.Kind.TWINPATH;
      String where =
          keys.find(other, key) == null
              ? ""
              : " ('"
                  + key
                  + "' belongs in "
                  + (other == Block.Kind.TWINPATH ? "the 'twinpath' block" : "an account block")
                  + ")";
      List<String> accepted = new ArrayList<>();
      keys.keys(block.kind).forEach(k -> accepted.add(k.key()));
      return "unknown key in "
          + block.describe()
          + where
          + "; accepted keys there: "
          + String.join(", ", accepted);
    }
  }
}
