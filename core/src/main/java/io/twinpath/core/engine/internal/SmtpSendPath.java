package io.twinpath.core.engine.internal;

import io.twinpath.core.engine.AttemptResult;
import io.twinpath.core.engine.ItemMeta;
import io.twinpath.core.engine.SendPath;
import io.twinpath.core.smtp.CommitGate;
import io.twinpath.core.smtp.RecipientResult;
import io.twinpath.core.smtp.SendResult;
import io.twinpath.core.smtp.SmtpSender;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** A device's SMTP sender as the engine's send path. */
public final class SmtpSendPath implements SendPath {
  private final SmtpSender sender;

  public SmtpSendPath(SmtpSender sender) {
    this.sender = sender;
  }

  @Override
  public AttemptResult attempt(ItemMeta item, InputStream message, Set<String> skip) {
    return attempt(item, message, skip, CommitGate.ALWAYS);
  }

  @Override
  public AttemptResult attempt(
      ItemMeta item, InputStream message, Set<String> skip, CommitGate beforeFinalDot) {
    SendResult r = sender.send(SpoolItemStore.item(item), message, skip, beforeFinalDot);
    Map<String, String> refused = new LinkedHashMap<>();
    for (RecipientResult rr : r.recipients()) {
      if (rr.status() == RecipientResult.Status.REJECTED) {
        refused.put(rr.address(), rr.reply());
      }
    }
    String text;
    if (r.outcome() == SendResult.Outcome.DELIVERED) {
      text = r.serverReply().isEmpty() ? r.reason() : r.serverReply();
    } else {
      text = r.reason();
    }
    AttemptResult.Outcome o;
    switch (r.outcome()) {
      case DELIVERED:
        o = AttemptResult.Outcome.DELIVERED;
        break;
      case PERMANENT:
        o = AttemptResult.Outcome.PERMANENT;
        break;
      case AMBIGUOUS:
        o = AttemptResult.Outcome.AMBIGUOUS;
        break;
      default:
        o = AttemptResult.Outcome.TEMPORARY;
        break;
    }
    return new AttemptResult(o, text, r.accepted(), refused);
  }
}
