package io.twinpath.hw.modem.internal;

import java.time.Duration;

/** The 3GPP 27.007 / 27.005 steps every dialect shares. */
public final class Common {
  private Common() {}

  public static final AtStep AT = AtStep.cmd("AT").timeout(Duration.ofSeconds(2)).build();
  public static final AtStep ECHO_OFF = AtStep.cmd("ATE0").build();
  public static final AtStep VERBOSE_ERRORS = AtStep.cmd("AT+CMEE=2").build();
  public static final AtStep SIM_STATE =
      AtStep.cmd("AT+CPIN?").claim("\\+CPIN: .*").timeoutSeconds(10).build();
  public static final AtStep ENTER_PIN =
      AtStep.cmd("AT+CPIN=\"{pin}\"").secret().timeoutSeconds(15).build();
  public static final AtStep SIGNAL = AtStep.cmd("AT+CSQ").build();
  public static final AtStep CS_REG = AtStep.cmd("AT+CREG?").claim("\\+CREG: .*").build();
  public static final AtStep PS_REG = AtStep.cmd("AT+CGREG?").claim("\\+CGREG: .*").build();
  public static final AtStep EPS_REG = AtStep.cmd("AT+CEREG?").claim("\\+CEREG: .*").build();
  public static final AtStep CS_REG_URC = AtStep.cmd("AT+CREG=1").build();
  public static final AtStep PS_REG_URC = AtStep.cmd("AT+CGREG=1").build();
  public static final AtStep EPS_REG_URC = AtStep.cmd("AT+CEREG=1").build();
  public static final AtStep OPERATOR_FORMAT = AtStep.cmd("AT+COPS=3,0").build();
  public static final AtStep OPERATOR =
      AtStep.cmd("AT+COPS?").claim("\\+COPS: .*").timeoutSeconds(10).build();
  public static final AtStep IDENTITY = AtStep.cmd("ATI").build();

  // SMS (27.005)
  public static final AtStep SMS_TEXT_MODE = AtStep.cmd("AT+CMGF=1").build();
  public static final AtStep SMS_PDU_MODE = AtStep.cmd("AT+CMGF=0").build();
  public static final AtStep CHARSET = AtStep.cmd("AT+CSCS=\"{charset}\"").build();
  public static final AtStep TEXT_PARAMS = AtStep.cmd("AT+CSMP=17,167,0,{dcs}").build();
  public static final AtStep SEND_TEXT =
      AtStep.cmd("AT+CMGS=\"{number}\"")
          .prompt()
          .terminator(0x1A)
          .expect("OK")
          .claim("\\+CMGS: .*")
          .timeoutSeconds(60)
          .build();
  public static final AtStep SEND_PDU =
      AtStep.cmd("AT+CMGS={length}")
          .prompt()
          .terminator(0x1A)
          .expect("OK")
          .claim("\\+CMGS: .*")
          .timeoutSeconds(60)
          .build();
}
