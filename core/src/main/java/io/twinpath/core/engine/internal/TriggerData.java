package io.twinpath.core.engine.internal;

import com.google.gson.JsonObject;
import io.twinpath.core.DeviceId;
import io.twinpath.core.engine.AttemptResult;
import org.jspecify.annotations.Nullable;

/** What the actions of one transition need besides the item's record: what set it off. */
final class TriggerData {
  static final TriggerData NONE = new TriggerData();

  /** The turn command received (ADOPT_EPOCH). */
  @Nullable JsonObject turn;

  /** This device's attempt result (RECORD_FAILURE, PASS_TURN, ANNOUNCE_OUTCOME). */
  @Nullable AttemptResult result;

  /** The sender of the command (REPLY_OUTCOME, REJECT_STALE). */
  @Nullable DeviceId from;

  /** The outcome command received (FINISH). */
  @Nullable JsonObject outcome;

  /** Why a command is refused (REJECT_STALE). */
  @Nullable String why;
}
