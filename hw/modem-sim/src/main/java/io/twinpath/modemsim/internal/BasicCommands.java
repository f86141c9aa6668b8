package io.twinpath.modemsim.internal;

import io.twinpath.modemsim.Dialect;
import io.twinpath.modemsim.RegistrationState;
import io.twinpath.modemsim.SimCardState;
import io.twinpath.modemsim.SimConfig;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** V.250 basics and the 3GPP 27.007 subset both modems share: SIM, signal, registration, PDP. */
final class BasicCommands {
  private static final String[] REG_NAMES = {"+CREG", "+CGREG", "+CEREG"};

  private final ModemCore core;
  private final SimConfig config;
  private final boolean simcom;
  private final Map<Integer, String[]> contexts = new TreeMap<>();

  private BasicCommands(ModemCore core) {
    this.core = core;
    this.config = core.config();
    this.simcom = core.dialect() == Dialect.SIM7600;
    contexts.put(1, new String[] {"IP", ""});
  }

  static void register(ModemCore core, Map<String, ModemCore.Handler> t) {
    BasicCommands b = new BasicCommands(core);
    t.put(
        "E",
        c -> {
          core.setEcho(c.integer(0, 0) == 1);
          return "OK";
        });
    for (String name : new String[] {"V", "Q", "X", "&D", "&C", "&W", "S"}) {
      t.put(name, c -> "OK");
    }
    t.put("Z", c -> "OK");
    t.put("&F", c -> "OK");
    t.put("H", c -> "OK");
    t.put("I", b::identify);
    t.put("+CMEE", b::cmee);
    t.put("+CPIN", b::cpin);
    t.put("+CSQ", b::csq);
    for (int i = 0; i < 3; i++) {
      int which = i;
      t.put(REG_NAMES[i], c -> b.registration(which, c));
    }
    t.put("+COPS", b::cops);
    t.put("+CGDCONT", b::cgdcont);
    t.put("+CGAUTH", c -> "OK");
    t.put("+CGATT", b::cgatt);
    t.put("+CFUN", b::cfun);
    t.put("+CGMI", c -> b.info(b.manufacturer()));
    t.put("+GMI", c -> b.info(b.manufacturer()));
    t.put("+CGMM", c -> b.info(b.model()));
    t.put("+GMM", c -> b.info(b.model()));
    t.put("+CGMR", c -> b.info((b.simcom ? "+CGMR: " : "Revision: ") + b.revision()));
    t.put("+GMR", c -> b.info(b.revision()));
    t.put("+CGSN", c -> b.info(b.config.imei()));
    t.put("+GSN", c -> b.info(b.config.imei()));
    t.put("+CIMI", b::cimi);
    t.put("+IPR", c -> b.baud("+IPR", c));
    if (b.simcom) {
      t.put("+CICCID", c -> b.iccid("+ICCID: "));
      t.put("+CCID", c -> b.iccid("+CCID: "));
      t.put("+IPREX", c -> b.baud("+IPREX", c));
      t.put(
          "+CPOF",
          c -> {
            core.line("OK");
            core.powerOff();
            return null;
          });
      t.put(
          "+CRESET",
          c -> {
            core.line("OK");
            core.resetLater();
            return null;
          });
    } else {
      t.put("+QCCID", c -> b.iccid("+QCCID: "));
      t.put("+QPOWD", b::qpowd);
      t.put("+QCFG", c -> "OK");
      t.put("+QURCCFG", c -> "OK");
    }
  }

  private String manufacturer() {
    return simcom ? "SIMCOM INCORPORATED" : "Quectel";
  }

  private String model() {
    return simcom ? "SIMCOM_SIM7600E-H" : "EC25";
  }

  private String revision() {
    return simcom ? "LE20B04SIM7600M22" : "EC25EFAR06A08M4G";
  }

  private String info(String text) {
    core.line(text);
    return "OK";
  }

  private String identify(AtCommand c) {
    if (simcom) {
      core.line(
          "Manufacturer: "
              + manufacturer()
              + "\r\nModel: "
              + model()
              + "\r\nRevision: "
              + revision()
              + "\r\nIMEI: "
              + config.imei()
              + "\r\n+GCAP: +CGSM");
    } else {
      core.line(manufacturer() + "\r\n" + model() + "\r\nRevision: " + revision());
    }
    return "OK";
  }

  private String cmee(AtCommand c) throws AtError {
    switch (c.type()) {
      case SET -> core.setCmee(c.integer(0, 0, 2));
      case READ -> core.line("+CMEE: " + core.cmee());
      case TEST -> core.line("+CMEE: (0-2)");
      case EXEC -> core.setCmee(0);
    }
    return "OK";
  }

  private String cpin(AtCommand c) throws AtError {
    switch (c.type()) {
      case READ -> {
        if (core.simState() == SimCardState.NOT_INSERTED && core.cmee() > 0) {
          throw AtError.cme(10);
        }
        core.line("+CPIN: " + core.simState().text());
      }
      case SET -> core.enterPin(c);
      case TEST -> {}
      case EXEC -> throw AtError.plain();
    }
    return "OK";
  }

  private String csq(AtCommand c) throws AtError {
    switch (c.type()) {
      case EXEC -> core.line("+CSQ: " + core.rssiNow() + ",99");
      case TEST -> core.line("+CSQ: (0-31,99),(0-7,99)");
      default -> throw AtError.plain();
    }
    return "OK";
  }

  private String registration(int which, AtCommand c) throws AtError {
    String name = REG_NAMES[which];
    switch (c.type()) {
      case SET -> core.setRegUrcMode(which, c.integer(0, 0, which == 2 ? 5 : 2));
      case READ -> {
        int n = core.regUrcMode(which);
        RegistrationState s = core.effectiveRegistration();
        core.line(
            name + ": " + n + "," + s.code() + (n >= 2 ? core.registrationDetail(which, s) : ""));
      }
      case TEST -> core.line(name + ": (0-" + (which == 2 ? 5 : 2) + ")");
      case EXEC -> core.setRegUrcMode(which, 0);
    }
    return "OK";
  }

  private String cops(AtCommand c) throws AtError {
    switch (c.type()) {
      case READ -> {
        if (core.effectiveRegistration().registered()) {
          core.line("+COPS: 0,0,\"" + config.operatorName() + "\"," + config.accessTechnology());
        } else {
          core.line("+COPS: 0");
        }
      }
      case TEST -> {
        core.requireSim();
        core.line(
            "+COPS: (2,\""
                + config.operatorName()
                + "\",\""
                + config.operatorName()
                + "\",\"00101\","
                + config.accessTechnology()
                + "),,(0-4),(0-2)");
      }
      case SET -> {
        core.requireSim();
        c.integer(0, 0, 4);
      }
      case EXEC -> {}
    }
    return "OK";
  }

  private String cgdcont(AtCommand c) throws AtError {
    switch (c.type()) {
      case SET -> {
        int cid = c.integer(0, 1, 24);
        if (c.paramCount() == 1) {
          contexts.remove(cid);
        } else {
          String type = c.str(1);
          if (!type.equals("IP") && !type.equals("IPV6") && !type.equals("IPV4V6")) {
            throw AtError.plain();
          }
          contexts.put(cid, new String[] {type, c.str(2, "")});
        }
      }
      case READ -> {
        for (Map.Entry<Integer, String[]> e : contexts.entrySet()) {
          core.line(
              "+CGDCONT: "
                  + e.getKey()
                  + ",\""
                  + e.getValue()[0]
                  + "\",\""
                  + e.getValue()[1]
                  + "\",\"0.0.0.0\",0,0");
        }
      }
      case TEST -> core.line("+CGDCONT: (1-24),\"IP\",,,(0-2),(0-4)");
      case EXEC -> throw AtError.plain();
    }
    return "OK";
  }

  private String cgatt(AtCommand c) throws AtError {
    boolean attached = core.effectiveRegistration().registered() && core.dataServiceAvailable();
    switch (c.type()) {
      case READ -> core.line("+CGATT: " + (attached ? 1 : 0));
      case SET -> {
        if (c.integer(0, 0, 1) == 1 && !attached) {
          core.requireSim();
          throw AtError.cme(30);
        }
      }
      case TEST -> core.line("+CGATT: (0,1)");
      case EXEC -> throw AtError.plain();
    }
    return "OK";
  }

  private @Nullable String cfun(AtCommand c) throws AtError {
    switch (c.type()) {
      case READ -> core.line("+CFUN: " + core.cfun());
      case TEST -> core.line("+CFUN: (0,1,4),(0,1)");
      case SET -> {
        int fun = c.integer(0);
        if (fun != 0 && fun != 1 && fun != 4) {
          throw AtError.plain();
        }
        if (c.integer(1, 0) == 1) {
          core.line("OK");
          core.resetLater();
          return null;
        }
        core.setCfun(fun);
      }
      case EXEC -> throw AtError.plain();
    }
    return "OK";
  }

  private String cimi(AtCommand c) throws AtError {
    core.requireSim();
    core.line(config.imsi());
    return "OK";
  }

  private String iccid(String prefix) throws AtError {
    if (core.simState() == SimCardState.NOT_INSERTED) {
      throw AtError.cme(10);
    }
    core.line(prefix + config.iccid());
    return "OK";
  }

  private String baud(String name, AtCommand c) throws AtError {
    switch (c.type()) {
      case READ -> core.line(name + ": 115200");
      case SET -> c.integer(0);
      case TEST -> core.line(name + ": (300,600,1200,2400,4800,9600,19200,38400,57600,115200)");
      case EXEC -> throw AtError.plain();
    }
    return "OK";
  }

  private @Nullable String qpowd(AtCommand c) throws AtError {
    int mode = c.integer(0, 1);
    if (mode == 1) {
      core.line("OK");
    }
    core.line("POWERED DOWN");
    core.powerOff();
    return null;
  }
}
