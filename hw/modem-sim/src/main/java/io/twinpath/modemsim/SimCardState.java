package io.twinpath.modemsim;

/** What {@code AT+CPIN?} reports. */
public enum SimCardState {
  READY("READY"),
  SIM_PIN("SIM PIN"),
  SIM_PUK("SIM PUK"),
  NOT_INSERTED("NOT INSERTED");

  private final String text;

  SimCardState(String text) {
    this.text = text;
  }

  /** The text after {@code +CPIN: }. */
  public String text() {
    return text;
  }
}
