package io.twinpath.modemsim;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One SMS the simulated modem sent ({@code AT+CMGS} confirmed with {@code +CMGS: <mr>}): one part
 * of a concatenated message is one {@code SentSms}.
 *
 * @param number destination as given (text mode) or decoded from TP-DA (PDU mode, with a leading
 *     {@code +} for international numbers)
 * @param text the decoded user text of this part (without the user-data header)
 * @param pdu the TPDU as upper-case hex, SMSC part excluded (PDU mode), or null in text mode
 * @param encoding {@code GSM7}, {@code UCS2} or {@code 8BIT}
 * @param messageReference the {@code <mr>} the modem answered
 * @param concatReference the concatenation reference, or -1 when not concatenated
 * @param partCount parts in the concatenated message (1 when not concatenated)
 * @param partNumber this part's number, from 1
 * @param at when the modem confirmed it
 */
public record SentSms(
    String number,
    String text,
    @Nullable String pdu,
    String encoding,
    int messageReference,
    int concatReference,
    int partCount,
    int partNumber,
    Instant at) {
  public SentSms {
    Objects.requireNonNull(number, "number");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(encoding, "encoding");
    Objects.requireNonNull(at, "at");
  }

  /** True when sent in PDU mode. */
  public boolean pduMode() {
    return pdu != null;
  }

  /** True when this part carries a concatenation header. */
  public boolean concatenated() {
    return concatReference >= 0;
  }
}
