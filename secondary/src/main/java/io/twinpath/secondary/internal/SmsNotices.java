package io.twinpath.secondary.internal;

import io.twinpath.core.item.ItemId;
import io.twinpath.core.item.OutboundItem;
import io.twinpath.core.spool.Spool;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SMS notices for mail stuck while cellular data is down but SMS works: once an item has waited
 * longer than the configured delay, each configured number gets one short text (from, to, subject,
 * "queued"). Which (item, number) pairs were told is kept on disk, so a restart does not resend.
 * The mail itself stays queued.
 */
public final class SmsNotices {
  private static final Logger LOG = LoggerFactory.getLogger(SmsNotices.class);
  private static final int HEADER_LIMIT = 64 * 1024;
  private static final int TEXT_LIMIT = 160;
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("MMM d HH:mm 'UTC'").withZone(ZoneOffset.UTC);

  /** What the modem says about its services right now. */
  public interface Conditions {
    /** True when no cellular data context can carry SMTP. */
    boolean dataDown();

    /** True when the modem is registered and can send SMS. */
    boolean smsUp();
  }

  /** Sends one text message. */
  @FunctionalInterface
  public interface Texter {
    void send(String number, String text) throws IOException;
  }

  private final Spool spool;
  private final Conditions conditions;
  private final Texter texter;
  private final List<String> numbers;
  private final Duration delay;
  private final NotifiedStore told;
  private final Clock clock;
  private long sent;

  public SmsNotices(
      Spool spool,
      Conditions conditions,
      Texter texter,
      List<String> numbers,
      Duration delay,
      NotifiedStore told,
      Clock clock) {
    this.spool = spool;
    this.conditions = conditions;
    this.texter = texter;
    this.numbers = List.copyOf(numbers);
    this.delay = delay;
    this.told = told;
    this.clock = clock;
  }

  /**
   * Sends the notices that are due now. Safe to call often (e.g. every 30 seconds).
   *
   * @return how many texts went out in this call
   */
  public synchronized int check() {
    List<OutboundItem> items = spool.list();
    List<String> live = new ArrayList<>();
    for (OutboundItem i : items) {
      for (String n : numbers) {
        live.add(key(i.id(), n));
      }
    }
    try {
      told.retainOnly(live);
    } catch (IOException e) {
      LOG.warn("could not compact the SMS notice record: {}", e.getMessage());
    }
    if (numbers.isEmpty() || items.isEmpty()) {
      return 0;
    }
    if (!conditions.dataDown() || !conditions.smsUp()) {
      return 0;
    }
    Instant now = clock.instant();
    int count = 0;
    for (OutboundItem item : items) {
      if (Duration.between(item.createdAt(), now).compareTo(delay) < 0) {
        continue;
      }
      String text = null;
      for (String number : numbers) {
        String k = key(item.id(), number);
        if (told.contains(k)) {
          continue;
        }
        if (text == null) {
          text = text(item, subject(item));
        }
        try {
          texter.send(number, text);
        } catch (IOException e) {
          LOG.warn(
              "SMS notice for {} to {} failed ({}); retrying at the next check",
              item.id(),
              mask(number),
              e.getMessage());
          return count;
        }
        try {
          told.add(k);
        } catch (IOException e) {
          LOG.warn("could not record the SMS notice for {}: {}", item.id(), e.getMessage());
        }
        count++;
        sent++;
        LOG.info("told {} by SMS that {} is queued without mobile data", mask(number), item.id());
      }
    }
    return count;
  }

  /** How many numbers are told. */
  public int numbers() {
    return numbers.size();
  }

  /** Texts sent since start. */
  public synchronized long sent() {
    return sent;
  }

  static String key(ItemId id, String number) {
    return id + " " + number;
  }

  /** The notice: from, to, subject and "queued", at most 160 characters. */
  String text(OutboundItem item, String subject) {
    String from = item.envelope().mailFrom().isEmpty() ? "<>" : item.envelope().mailFrom();
    List<String> rcpts = item.envelope().recipients();
    String to = rcpts.get(0) + (rcpts.size() > 1 ? " +" + (rcpts.size() - 1) : "");
    String head =
        "Mail queued, not sent (no mobile data) since "
            + TIME.format(item.createdAt())
            + ". From "
            + from
            + " to "
            + to
            + ". Subject: ";
    String s = subject.isEmpty() ? "(none)" : subject;
    int room = TEXT_LIMIT - head.length();
    if (room < 8) {
      return (head + s).substring(0, TEXT_LIMIT);
    }
    if (s.length() > room) {
      s = s.substring(0, room - 3) + "...";
    }
    return head + s;
  }

  /** The decoded Subject header, read from the message's header section only. */
  String subject(OutboundItem item) {
    try (InputStream in = spool.openMessage(item.id())) {
      ByteArrayOutputStream header = new ByteArrayOutputStream();
      int prev = -1;
      int b;
      int crlfs = 0;
      while ((b = in.read()) >= 0 && header.size() < HEADER_LIMIT) {
        if (b == '\n' && prev == '\r') {
          crlfs++;
          if (crlfs == 2) {
            break;
          }
        } else if (b != '\r') {
          crlfs = 0;
        }
        header.write(b);
        prev = b;
      }
      String unfolded = header.toString(StandardCharsets.UTF_8).replaceAll("\r\n[ \t]+", " ");
      for (String line : unfolded.split("\r\n")) {
        if (line.regionMatches(true, 0, "Subject:", 0, 8)) {
          String raw = line.substring(8).strip();
          try {
            return MimeUtility.decodeText(raw).replaceAll("\\s+", " ");
          } catch (UnsupportedEncodingException e) {
            return raw;
          }
        }
      }
      return "";
    } catch (IOException e) {
      return "";
    }
  }

  private static String mask(String number) {
    return number.length() <= 4 ? "****" : "..." + number.substring(number.length() - 4);
  }
}
