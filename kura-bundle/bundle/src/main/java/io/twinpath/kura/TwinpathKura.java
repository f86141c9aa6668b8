package io.twinpath.kura;

/** Names an operator or another bundle can rely on. */
public final class TwinpathKura {
  /** The configuration PID: metatype file name, Designate pid, OCD id and DS component name. */
  public static final String PID = "io.twinpath.kura.Secondary";

  private TwinpathKura() {}
}
