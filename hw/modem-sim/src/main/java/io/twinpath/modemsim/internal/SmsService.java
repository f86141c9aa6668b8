package io.twinpath.modemsim.internal;

import io.twinpath.modemsim.Dialect;
import io.twinpath.modemsim.SentSms;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/** 3GPP 27.005 SMS sending: CMGF, CSCS, CSMP, CMGS in text and PDU mode. Records what it sent. */
final class SmsService {
  private final ModemCore core;
  private final List<SentSms> sent = new CopyOnWriteArrayList<>();
  private int cmgf;
  private String cscs = "GSM";
  private int[] csmp = {17, 167, 0, 0};
  private int mr;

  SmsService(ModemCore core) {
    this.core = core;
  }

  void reset() {
    cmgf = 0;
    cscs = core.dialect() == Dialect.SIM7600 ? "IRA" : "GSM";
    csmp = new int[] {17, 167, 0, 0};
  }

  List<SentSms> sent() {
    return List.copyOf(sent);
  }

  void register(Map<String, ModemCore.Handler> t) {
    t.put("+CMGF", this::cmgf);
    t.put("+CSCS", this::cscs);
    t.put("+CSMP", this::csmp);
    t.put("+CMGS", this::cmgs);
    t.put(
        "+CSCA",
        c -> {
          if (c.type() == AtCommand.Type.READ) {
            core.line("+CSCA: \"+447700900000\",145");
          }
          return "OK";
        });
    t.put(
        "+CPMS",
        c -> {
          if (c.type() == AtCommand.Type.READ) {
            core.line("+CPMS: \"SM\",0,50,\"SM\",0,50,\"SM\",0,50");
          } else if (c.type() == AtCommand.Type.SET) {
            core.line("+CPMS: 0,50,0,50,0,50");
          }
          return "OK";
        });
    t.put(
        "+CNMI",
        c -> {
          if (c.type() == AtCommand.Type.TEST) {
            core.line("+CNMI: (0-2),(0-3),(0,2),(0-2),(0,1)");
          } else if (c.type() == AtCommand.Type.READ) {
            core.line("+CNMI: 0,0,0,0,0");
          }
          return "OK";
        });
    for (String n : new String[] {"+CSDH", "+CSMS", "+CMGD"}) {
      t.put(n, c -> "OK");
    }
  }

  private String cmgf(AtCommand c) throws AtError {
    switch (c.type()) {
      case SET -> cmgf = c.integer(0, 0, 1);
      case READ -> core.line("+CMGF: " + cmgf);
      case TEST -> core.line("+CMGF: (0-1)");
      case EXEC -> cmgf = 0;
    }
    return "OK";
  }

  private String cscs(AtCommand c) throws AtError {
    switch (c.type()) {
      case SET -> {
        String v = c.str(0).toUpperCase(Locale.ROOT);
        if (!List.of("GSM", "IRA", "UCS2", "HEX", "8859-1", "PCCP437").contains(v)) {
          throw AtError.cme(4);
        }
        cscs = v;
      }
      case READ -> core.line("+CSCS: \"" + cscs + "\"");
      case TEST -> core.line("+CSCS: (\"IRA\",\"GSM\",\"UCS2\",\"HEX\")");
      case EXEC -> throw AtError.plain();
    }
    return "OK";
  }

  private String csmp(AtCommand c) throws AtError {
    switch (c.type()) {
      case SET -> {
        int[] v = csmp.clone();
        for (int i = 0; i < 4; i++) {
          if (c.has(i)) {
            v[i] = c.integer(i, 0, 255);
          }
        }
        csmp = v;
      }
      case READ -> core.line("+CSMP: " + csmp[0] + "," + csmp[1] + "," + csmp[2] + "," + csmp[3]);
      case TEST -> {}
      case EXEC -> throw AtError.plain();
    }
    return "OK";
  }

  private @Nullable String cmgs(AtCommand c) throws AtError {
    if (c.type() == AtCommand.Type.TEST) {
      return "OK";
    }
    if (c.type() != AtCommand.Type.SET) {
      throw AtError.plain();
    }
    switch (core.simState()) {
      case READY -> {}
      case NOT_INSERTED -> throw AtError.cms(310);
      case SIM_PIN -> throw AtError.cms(311);
      case SIM_PUK -> throw AtError.cms(316);
    }
    if (!core.effectiveRegistration().registered()) {
      throw AtError.cms(331);
    }
    if (cmgf == 1) {
      String number = decodeNumber(c.str(0));
      if (number.isEmpty()) {
        throw AtError.cms(305);
      }
      core.raw("\r\n> ");
      core.expectTerminated(b -> submitText(number, b), () -> core.line("OK"));
    } else {
      int len = c.integer(0);
      if (len < 7 || len > 164) {
        throw AtError.cms(304);
      }
      core.raw("\r\n> ");
      core.expectTerminated(b -> submitPdu(len, b), () -> core.line("OK"));
    }
    return null;
  }

  private String decodeNumber(String n) {
    if (cscs.equals("UCS2") && n.matches("([0-9A-Fa-f]{4})+")) {
      return new String(HexFormat.of().parseHex(n), StandardCharsets.UTF_16BE);
    }
    return n;
  }

  private void submitText(String number, byte[] body) {
    String encoding = SubmitPdu.encoding(csmp[3]);
    String text;
    try {
      text = decodeText(body, encoding);
    } catch (IllegalArgumentException e) {
      core.error(AtError.cms(305));
      return;
    }
    int limit = encoding.equals("UCS2") ? 70 : encoding.equals("8BIT") ? 140 : 160;
    int size = encoding.equals("GSM7") ? septets(text) : text.length();
    if (size > limit) {
      core.error(AtError.cms(305));
      return;
    }
    confirm(number, text, null, encoding, -1, 1, 1);
  }

  private String decodeText(byte[] body, String encoding) {
    boolean hexCharset = cscs.equals("UCS2") || cscs.equals("HEX");
    if (hexCharset) {
      String h = new String(body, StandardCharsets.US_ASCII).strip();
      byte[] raw = HexFormat.of().parseHex(h);
      if (encoding.equals("UCS2")) {
        return new String(raw, StandardCharsets.UTF_16BE);
      }
      if (encoding.equals("GSM7")) {
        int[] s = new int[raw.length];
        for (int i = 0; i < raw.length; i++) {
          s[i] = raw[i] & 0x7F;
        }
        return Gsm7.decodeSeptets(s);
      }
      return new String(raw, StandardCharsets.ISO_8859_1);
    }
    if (cscs.equals("GSM")) {
      int[] s = new int[body.length];
      for (int i = 0; i < body.length; i++) {
        s[i] = body[i] & 0x7F;
      }
      return Gsm7.decodeSeptets(s);
    }
    return new String(body, StandardCharsets.ISO_8859_1);
  }

  private static int septets(String text) {
    int n = 0;
    for (char ch : text.toCharArray()) {
      n += "^{}\\[~]|€\f".indexOf(ch) >= 0 ? 2 : 1;
    }
    return n;
  }

  private void submitPdu(int len, byte[] body) {
    String h = new String(body, StandardCharsets.US_ASCII).replaceAll("\\s", "");
    byte[] all;
    try {
      all = HexFormat.of().parseHex(h);
    } catch (IllegalArgumentException e) {
      core.error(AtError.cms(304));
      return;
    }
    if (all.length < 1) {
      core.error(AtError.cms(304));
      return;
    }
    int smsc = all[0] & 0xFF;
    int tpduStart = 1 + smsc;
    if (all.length - tpduStart != len) {
      core.error(AtError.cms(304));
      return;
    }
    byte[] tpdu = java.util.Arrays.copyOfRange(all, tpduStart, all.length);
    SubmitPdu p;
    try {
      p = SubmitPdu.decode(tpdu);
    } catch (IllegalArgumentException e) {
      core.error(AtError.cms(304));
      return;
    }
    confirm(
        p.number(),
        p.text(),
        HexFormat.of().withUpperCase().formatHex(tpdu),
        p.encoding(),
        p.concatRef(),
        p.parts(),
        p.part());
  }

  private void confirm(
      String number,
      String text,
      @Nullable String pdu,
      String encoding,
      int ref,
      int parts,
      int part) {
    int reference = mr;
    mr = (mr + 1) & 0xFF;
    SentSms sms =
        new SentSms(number, text, pdu, encoding, reference, ref, parts, part, Instant.now());
    sent.add(sms);
    core.smsSent(sms);
    core.line("+CMGS: " + reference);
    core.line("OK");
  }
}
