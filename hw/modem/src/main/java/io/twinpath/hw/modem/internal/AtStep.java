package io.twinpath.hw.modem.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One step of an AT script, as data: the request (a template with {@code {name}} placeholders, or
 * none when the step only waits for a line), the lines that end it well or badly, and its timeout.
 * Lines that match neither are collected as the reply's intermediate lines.
 */
public final class AtStep {
  static final List<Pattern> DEFAULT_FAILURES =
      List.of(
          Pattern.compile("ERROR"),
          Pattern.compile("\\+CME ERROR: ?(.*)"),
          Pattern.compile("\\+CMS ERROR: ?(.*)"),
          Pattern.compile("NO CARRIER"));
  private static final List<Pattern> OK = List.of(Pattern.compile("OK"));
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-zA-Z0-9]+)}");

  private final String name;
  private final @Nullable String request;
  private final List<Pattern> success;
  private final List<Pattern> failure;
  private final Duration timeout;
  private final boolean prompt;
  private final boolean secret;
  private final boolean connect;
  private final List<Pattern> claims;
  private final int terminator;

  private AtStep(Builder b) {
    this.name = b.name;
    this.request = b.request;
    this.success = List.copyOf(b.success);
    this.failure = List.copyOf(b.failure);
    this.timeout = b.timeout;
    this.prompt = b.prompt;
    this.secret = b.secret;
    this.connect = b.connect;
    this.claims = List.copyOf(b.claims);
    this.terminator = b.terminator;
  }

  private AtStep(AtStep o, Duration timeout) {
    this.name = o.name;
    this.request = o.request;
    this.success = o.success;
    this.failure = o.failure;
    this.timeout = timeout;
    this.prompt = o.prompt;
    this.secret = o.secret;
    this.connect = o.connect;
    this.claims = o.claims;
    this.terminator = o.terminator;
  }

  /** The same step with another timeout (e.g. from configuration). */
  public AtStep withTimeout(Duration t) {
    if (t.isNegative() || t.isZero()) {
      throw new IllegalArgumentException("AT step timeout must be positive, got " + t);
    }
    return new AtStep(this, t);
  }

  /** A command, e.g. {@code cmd("AT+CSQ")}: ends on {@code OK}, fails on the error results. */
  public static Builder cmd(String request) {
    return new Builder(request, request);
  }

  /** A step that sends nothing and waits for a line, e.g. {@code +NETOPEN: 0} after OK. */
  public static Builder await(String name) {
    return new Builder(name, null);
  }

  public String name() {
    return name;
  }

  public @Nullable String request() {
    return request;
  }

  public List<Pattern> success() {
    return success;
  }

  public List<Pattern> failure() {
    return failure;
  }

  public Duration timeout() {
    return timeout;
  }

  public boolean prompt() {
    return prompt;
  }

  public boolean connect() {
    return connect;
  }

  public List<Pattern> claims() {
    return claims;
  }

  /** The byte sent after the payload (0x1A for SMS), or -1. */
  public int terminator() {
    return terminator;
  }

  /** The request with its placeholders filled in. */
  public String render(Map<String, String> args) {
    String r = request;
    if (r == null) {
      return "";
    }
    Matcher m = PLACEHOLDER.matcher(r);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String v = args.get(m.group(1));
      if (v == null) {
        throw new IllegalArgumentException(
            "AT step '" + name + "' needs the argument '" + m.group(1) + "'");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(v));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** The request as it may be logged: secret steps show the template, not the values. */
  public String display(Map<String, String> args) {
    if (request == null) {
      return "(waiting for " + name + ")";
    }
    return secret ? request.replaceAll("\\{[a-zA-Z0-9]+}", "<hidden>") : render(args);
  }

  /** Builds an {@link AtStep}. */
  public static final class Builder {
    private final String name;
    private final @Nullable String request;
    private List<Pattern> success = OK;
    private final List<Pattern> failure = new ArrayList<>(DEFAULT_FAILURES);
    private Duration timeout = Duration.ofSeconds(5);
    private boolean prompt;
    private boolean secret;
    private boolean connect;
    private final List<Pattern> claims = new ArrayList<>();
    private int terminator = -1;

    private Builder(String name, @Nullable String request) {
      this.name = name;
      this.request = request;
    }

    /** The lines (regular expressions over the whole line) that end the step well. */
    public Builder expect(String... regex) {
      List<Pattern> p = new ArrayList<>();
      for (String r : regex) {
        p.add(Pattern.compile(r));
      }
      success = p;
      return this;
    }

    /** More lines that end the step badly. */
    public Builder fail(String... regex) {
      for (String r : regex) {
        failure.add(Pattern.compile(r));
      }
      return this;
    }

    /** Lines that would otherwise be taken as URCs but answer this step. */
    public Builder claim(String... regex) {
      for (String r : regex) {
        claims.add(Pattern.compile(r));
      }
      return this;
    }

    public Builder timeout(Duration t) {
      if (t.isNegative() || t.isZero()) {
        throw new IllegalArgumentException("AT step timeout must be positive, got " + t);
      }
      timeout = t;
      return this;
    }

    public Builder timeoutSeconds(long s) {
      return timeout(Duration.ofSeconds(s));
    }

    /** Wait for the {@code >} prompt, then send the payload. */
    public Builder prompt() {
      prompt = true;
      return this;
    }

    /** Send this byte after the payload (0x1A ends an SMS). */
    public Builder terminator(int b) {
      terminator = b;
      return this;
    }

    /** The arguments are secret (a PIN): never logged, never in an exception. */
    public Builder secret() {
      secret = true;
      return this;
    }

    /** A {@code CONNECT} result starts a transparent session: raw data follows. */
    public Builder connect() {
      connect = true;
      success = List.of(Pattern.compile("CONNECT( .*)?"));
      return this;
    }

    public AtStep build() {
      return new AtStep(this);
    }
  }
}
