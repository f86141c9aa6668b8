package io.twinpath.modemsim.internal;

import static io.twinpath.modemsim.internal.QuectelState.CONTEXTS;
import static io.twinpath.modemsim.internal.QuectelState.SOCKETS;

import io.twinpath.modemsim.SimConfig;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/** EC25 PDP contexts: QICSGP, QIACT and QIDEACT. */
final class QuectelContexts {
  private final ModemCore core;
  private final SimConfig config;
  private final QuectelState st;

  QuectelContexts(ModemCore core, QuectelState st) {
    this.core = core;
    this.config = core.config();
    this.st = st;
  }

  String qicsgp(AtCommand c) throws AtError {
    if (c.type() != AtCommand.Type.SET) {
      throw AtError.plain();
    }
    int ctx = c.integer(0, 1, CONTEXTS);
    if (c.paramCount() == 1) {
      core.line("+QICSGP: 1,\"" + st.apn[ctx] + "\",\"\",\"\",0");
      return "OK";
    }
    c.integer(1, 1, 3);
    st.apn[ctx] = c.str(2, "");
    if (c.has(5)) {
      c.integer(5, 0, 3);
    }
    return "OK";
  }

  @Nullable String qiact(AtCommand c) throws AtError {
    if (c.type() == AtCommand.Type.READ) {
      for (int i = 1; i <= CONTEXTS; i++) {
        if (st.active[i]) {
          core.line("+QIACT: " + i + ",1,1,\"" + config.ipAddress() + "\"");
        }
      }
      return "OK";
    }
    if (c.type() == AtCommand.Type.TEST) {
      core.line("+QIACT: (1-16)");
      return "OK";
    }
    if (c.type() != AtCommand.Type.SET) {
      throw AtError.plain();
    }
    int ctx = c.integer(0, 1, CONTEXTS);
    core.requireSim();
    if (st.active[ctx]) {
      return "OK";
    }
    core.loop()
        .schedule(
            () -> {
              if (!st.broken[ctx]
                  && core.effectiveRegistration().registered()
                  && core.dataServiceAvailable()) {
                st.active[ctx] = true;
                core.line("OK");
              } else {
                st.lastError = 561;
                core.line("ERROR");
              }
            },
            config.activationDelay().toNanos(),
            TimeUnit.NANOSECONDS);
    return null;
  }

  String qideact(AtCommand c) throws AtError {
    if (c.type() != AtCommand.Type.SET) {
      throw AtError.plain();
    }
    int ctx = c.integer(0, 1, CONTEXTS);
    for (int i = 0; i < SOCKETS; i++) {
      QuectelSocket s = st.socks[i];
      if (s != null && s.ctx == ctx) {
        s.link.abort();
        st.socks[i] = null;
      }
    }
    st.active[ctx] = false;
    st.broken[ctx] = false;
    return "OK";
  }
}
