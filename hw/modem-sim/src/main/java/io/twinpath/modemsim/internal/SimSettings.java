package io.twinpath.modemsim.internal;

import io.twinpath.modemsim.Dialect;
import io.twinpath.modemsim.RegistrationState;
import io.twinpath.modemsim.SimConfig.PushHeader;
import io.twinpath.modemsim.SimConfig.TransparentClose;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The values of a {@link io.twinpath.modemsim.SimConfig} with their defaults: the builder fills
 * one, each value checked as it is set, and the built configuration keeps its own copy that it
 * never lets out. A null {@code transparentClose} means the dialect's form.
 */
public final class SimSettings {
  public final Dialect dialect;
  public @Nullable String pin;
  public String puk = "12345678";
  public boolean simInserted = true;
  public RegistrationState registration = RegistrationState.HOME;
  public boolean dataService = true;
  public int rssi = 20;
  public String operatorName = "Twinpath Mobile";
  public int accessTechnology = 7;
  public String ipAddress = "10.64.0.2";
  public String imei = "869951030000017";
  public String imsi = "001010123456789";
  public String iccid = "8988211000000000017";
  public boolean bootUrcs = true;
  public Duration resetDuration = Duration.ofMillis(200);
  public Duration replyDelay = Duration.ZERO;
  public Duration activationDelay = Duration.ofMillis(20);
  public Duration connectTimeout = Duration.ofSeconds(15);
  public Duration linkLatency = Duration.ZERO;
  public long linkBitsPerSecond;
  public Duration guardTime = Duration.ofSeconds(1);
  public boolean cipsendOk = true;
  public PushHeader pushHeader = PushHeader.RECEIVE;
  public @Nullable TransparentClose transparentClose;
  public String sim7600Connect = "CONNECT 115200";
  public @Nullable Duration sendDataTimeout;
  public int sendBufferBytes = 64 * 1024;
  public int receiveBufferBytes = 64 * 1024;
  public long garbageSeed = 7;

  public SimSettings(Dialect dialect) {
    this.dialect = dialect;
  }

  /** A copy of every value. */
  public SimSettings copy() {
    SimSettings c = new SimSettings(dialect);
    c.pin = pin;
    c.puk = puk;
    c.simInserted = simInserted;
    c.registration = registration;
    c.dataService = dataService;
    c.rssi = rssi;
    c.operatorName = operatorName;
    c.accessTechnology = accessTechnology;
    c.ipAddress = ipAddress;
    c.imei = imei;
    c.imsi = imsi;
    c.iccid = iccid;
    c.bootUrcs = bootUrcs;
    c.resetDuration = resetDuration;
    c.replyDelay = replyDelay;
    c.activationDelay = activationDelay;
    c.connectTimeout = connectTimeout;
    c.linkLatency = linkLatency;
    c.linkBitsPerSecond = linkBitsPerSecond;
    c.guardTime = guardTime;
    c.cipsendOk = cipsendOk;
    c.pushHeader = pushHeader;
    c.transparentClose = transparentClose;
    c.sim7600Connect = sim7600Connect;
    c.sendDataTimeout = sendDataTimeout;
    c.sendBufferBytes = sendBufferBytes;
    c.receiveBufferBytes = receiveBufferBytes;
    c.garbageSeed = garbageSeed;
    return c;
  }
}
