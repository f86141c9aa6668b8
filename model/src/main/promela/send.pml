/*
 * Twinpath's send protocol for one item, as a Promela model checked with spin.
 *
 * Device 0 is the host (the item's origin), device 1 the dongle. Both talk through one MQTT
 * broker; an SMTP server counts deliveries. docs/PROTOCOL.md, "The model", says what is modelled,
 * what is abstracted and how to run the check.
 *
 * Each safeguard the protocol relies on is on by default and can be switched off with -DNO_<NAME>
 * (the mutation tests do):
 *   FENCING       a turn with an older epoch is refused (off: any other epoch is adopted)
 *   STALE_ANSWER  a stale turn is answered with the newer epoch and holder (off: only refused)
 *   REANNOUNCE    unfinished items are announced again on every reconnect, to a peer whose new
 *                 connection is seen, and periodically (off: a turn is announced once)
 *   MARK          finalDotSent is forced to disk before the final dot goes out (off: after it)
 *   LOST_BROKER   a device that loses its broker treats the peer as unreachable
 *   SECOND_PATH   a device that delivered and learns that the other path delivered too counts one
 *   OUTCOME_AGAIN a finished item's outcome is announced again after a loss, like a turn
 *   PER_DEVICE    each device's own count travels separately and the total is their sum
 *                 (off: one number per item, merged by keeping the larger)
 *   CONFIRM       a device granted the turn asks the granter (sync) and attempts only after the
 *                 answer to that ask, or once the granter is offline and what the broker kept for
 *                 the device has arrived (off: a grant is acted on at once)
 */
#ifndef NO_FENCING
#define FENCING 1
#endif
#ifndef NO_STALE_ANSWER
#define STALE_ANSWER 1
#endif
#ifndef NO_REANNOUNCE
#define REANNOUNCE 1
#endif
#ifndef NO_MARK
#define MARK 1
#endif
#ifndef NO_LOST_BROKER
#define LOST_BROKER 1
#endif
#ifndef NO_SECOND_PATH
#define SECOND_PATH 1
#endif
#ifndef NO_OUTCOME_AGAIN
#define OUTCOME_AGAIN 1
#endif
#ifndef NO_PER_DEVICE
#define PER_DEVICE 1
#endif
#ifndef NO_CONFIRM
#define CONFIRM 1
#endif

/* fault budgets: one item and a few faults keep the state space checkable in seconds */
#ifndef CRASHES
#define CRASHES 1       /* kill -9 of a device: volatile state lost, durable records kept */
#endif
#ifndef BROKER_DEATHS
#define BROKER_DEATHS 1 /* the broker forgets sessions, retained states and queued messages */
#endif
#ifndef DISCONNECTS
#define DISCONNECTS 1   /* a device loses its broker connection; the broker publishes its will */
#endif
#ifndef LOSSES
#define LOSSES 1        /* a queued message is lost */
#endif
#ifndef DUPS
#define DUPS 1          /* a queued message is delivered twice (QoS 1) */
#endif
#ifndef REORDERS
#define REORDERS 1      /* a queued message is overtaken by the next one */
#endif
#ifndef TEMPS
#define TEMPS 1         /* an attempt fails before its final dot (temporary) */
#endif
#ifndef AMBIGS
#define AMBIGS 1        /* an attempt loses the reply to its final dot (delivered or not) */
#endif
#ifndef FAULTS
#define FAULTS 1        /* at most this many of the faults above (crashes to reorders) in one run */
#endif
#ifndef CRASHING
#define CRASHING N      /* the device that may crash: 0 or 1, or N for either */
#endif

#define N 2
#ifndef QCAP
#define QCAP 3
#endif
#define MAXEPOCH 6
#define UNKNOWN 2
#define peer(d) (1 - (d))
#define holderOf(e) ((e) % 2)

/* phases of the state table; NONE: the device has no record of the item */
mtype = { NONE, WAITING, WAIT_COPY, BACKOFF, ATTEMPTING, SYNCING, DONE };
/* commands, and presence as the broker hands it to a device */
mtype = { TURN, OUTCOME, SYNC, SYNCED, OFFER, COPY_ACK, ONLINE, OFFLINE };

chan inq[N] = [QCAP] of { mtype, byte, byte, byte };  /* the broker's queue for a session */
chan outq[N] = [QCAP] of { mtype, byte, byte, byte }; /* the link's queue while disconnected */

/* durable, per device: the item's record and its spool entry */
mtype ph[N] = NONE;
byte epoch[N];      /* the newest epoch known here; its holder is epoch % 2 */
byte own[N];        /* possible duplicates this device counted */
byte dup[N];        /* PER_DEVICE: the peer's own count as known here; else the item's count */
bit fds[N];         /* the finalDotSent mark */
bit second[N];      /* a second path's delivery was counted here */
bit copy[N];        /* holds a complete copy */
bit copiedTo;       /* the host saw the dongle acknowledge a complete copy */
byte path[N];       /* who delivered, as known here (UNKNOWN before) */
byte cn[N];         /* connection number (grows) */
byte gen[N];        /* the ask of this device's newest sync round: a restart or a grant makes a new
                       one, never used before (the engine's ask numbers, random per run) */

/* volatile, per device */
bit up[N];
bit conn[N];
byte seen[N];       /* the peer's newest connection number accepted here */
bit peerOn[N];      /* the peer is believed online */
byte att[N];        /* attempt: 0 none, 1 started, 2 final dot next, 3 dot out (mark after), 4 reply next */
bit landed[N];      /* the attempt's final dot reached the server */
bit again[N];       /* the periodic announcement is due: something may have been lost */
bit reoffer;        /* the host's copy made no progress: offer it again */
bit cfm[N];         /* SYNCING to confirm a granted turn (not after a restart) */
bit heard[N];       /* a state of the peer arrived on this connection */

/* broker */
bit balive = 1;
bit sess[N];        /* the broker keeps the device's session (subscription and queue) */
byte ret[N];        /* retained state: 0 none, else conn * 2 + online */

/* SMTP server and fault budgets */
byte delivered;
byte nfaults, crashes, bdeaths, discs, losses, dups, reorders, temps, ambigs;

/* ghosts, for the properties only: no device reads them */
bit overtaken[N];    /* the turn d holds was overtaken when it was granted: the granter's newer
                        turn or its outcome was already queued for d at the broker, behind it */
bit attOvertaken[N]; /* d's running attempt started under such a turn */
bit overtakenDelivered; /* such an attempt's final dot reached the server */

#define live(d) (ph[d] != NONE && ph[d] != DONE)
#define finished(d) (ph[d] == DONE || (ph[d] == NONE && d != 0))

#ifdef PER_DEVICE
#define count(d) own[d]
#define total (own[0] + own[1])
#else
#define count(d) dup[d]
#define total (dup[0] > dup[1] -> dup[0] : dup[1])
#endif

/* the properties; a mark set and not yet counted is a count on its way */
#define dupsCounted (delivered <= 1 + total + fds[0] + fds[1])
#define noOvertakenGrant (delivered <= 1 || !overtakenDelivered)
#define allFinished (finished(0) && finished(1))

/* a fault may have lost something: the periodic announcements and copy offers become due */
#define lossy() again[0] = 1; again[1] = 1; reoffer = 1

/*
 * The broker hands a message to d's session, or drops it when d has no session there (d is sent
 * what it missed when its new connection is seen). A message equal to one still queued for d is
 * merged with it (handling a command twice in a row changes nothing). A full queue of the model
 * loses the message, like a fault (the periodic announcement makes up for it).
 */
inline deliver(d, k, a, b, c) {
  if
  :: balive && sess[d] && inq[d]??[eval(k), eval(a), eval(b), eval(c)] -> skip
  :: balive && sess[d] && !inq[d]??[eval(k), eval(a), eval(b), eval(c)] ->
     if :: nfull(inq[d]) -> inq[d]!k, a, b, c :: else -> lossy() fi
  :: else
  fi
}

/* d publishes to its peer: through the broker when connected, else the link holds it */
inline send(d, k, a, b, c) {
  if
  :: conn[d] -> deliver(peer(d), k, a, b, c)
  :: !conn[d] && outq[d]??[eval(k), eval(a), eval(b), eval(c)] -> skip
  :: !conn[d] && !outq[d]??[eval(k), eval(a), eval(b), eval(c)] ->
     if :: nfull(outq[d]) -> outq[d]!k, a, b, c :: else -> lossy() fi
  fi
}

/* the third field of TURN and OUTCOME: what d knows of the peer's own count */
#define knows(d) dup[d]

inline announceOutcome(d) { send(d, OUTCOME, count(d), path[d], knows(d)) }
inline broadcastTurn(d) { send(d, TURN, epoch[d], count(d), knows(d)) }

inline countDuplicate(d) {
#ifdef PER_DEVICE
  own[d]++;
#else
  own[d]++; dup[d]++;
#endif
  fds[d] = 0
}

/* merge the count a peer sent */
inline merge(d, theirs) {
  if :: theirs > dup[d] -> dup[d] = theirs :: else fi
}

/* does d hold more than the peer says it knows? then d answers with its outcome */
#ifdef PER_DEVICE
#define ahead(d, theirs, theirKnowledge) (own[d] > theirKnowledge)
#else
#define ahead(d, theirs, theirKnowledge) (dup[d] > theirs)
#endif

/* d's final dot reaches the server: one more delivery */
inline dot(d) { delivered++; overtakenDelivered = (overtakenDelivered || attOvertaken[d]) }

/* the device finishes: keeps a small record, deletes its copy (the origin keeps its spool) */
inline finish(d) { ph[d] = DONE; copy[d] = (d == 0); cfm[d] = 0; overtaken[d] = 0 }

/* the epoch handed to device j after epoch e */
inline nextEpoch(e, j) {
  assert(e < MAXEPOCH);  /* epochs stay bounded: no endless takeovers */
  e++;
  if :: holderOf(e) != j -> e++ :: else fi
}

/* holding the turn: attempt once the copy is complete */
inline holdTurn(d) {
  if :: copy[d] -> ph[d] = BACKOFF :: else -> ph[d] = WAIT_COPY fi
}

/*
 * ghost: is the peer's turn newer than te, or its outcome, queued for d at the broker? The queue
 * is read round once and left as it was.
 */
inline overtakenAt(d, te) {
  overtaken[d] = 0; gj = len(inq[d]);
  do
  :: gj > 0 ->
     inq[d]?gk, ga, gb, gc;
     if :: (gk == TURN && ga > te) || gk == OUTCOME -> overtaken[d] = 1 :: else fi;
     inq[d]!gk, ga, gb, gc; gj--
  :: else -> break
  od;
  gk = 0; ga = 0; gb = 0; gc = 0
}

/*
 * d adopts the turn the peer granted it under epoch te. With CONFIRM it asks the granter and waits
 * for the answer to this ask: one sender's messages keep their order in d's session at the broker,
 * so what the granter sent before answering has arrived by then.
 */
inline grant(d, te) {
  overtakenAt(d, te);
  epoch[d] = te;
#ifdef CONFIRM
  ph[d] = SYNCING; cfm[d] = 1; gen[d]++; send(d, SYNC, gen[d], 0, 0)
#else
  holdTurn(d)
#endif
}

/* after a temporary or ambiguous result in ATTEMPTING: pass the turn to a reachable peer, or keep it */
inline passOrKeep(d) {
  if
  :: peerOn[d] -> nextEpoch(epoch[d], peer(d)); overtaken[d] = 0; ph[d] = WAITING; broadcastTurn(d)
  :: else -> ph[d] = BACKOFF
  fi
}

/* the attempt's result: delivered */
inline resultDelivered(d) {
  if
  :: ph[d] == DONE ->
     countDuplicate(d); if :: path[d] == UNKNOWN -> path[d] = d :: else fi; announceOutcome(d)
  :: else ->
     path[d] = d; fds[d] = 0; finish(d); announceOutcome(d)
  fi
}

/* the attempt's result: temporary (0) or ambiguous (1) */
inline resultFailed(d, ambiguous) {
  if
  :: ambiguous && fds[d] -> countDuplicate(d); if :: ph[d] == DONE -> announceOutcome(d) :: else fi
  :: else -> fds[d] = 0
  fi;
  if :: ph[d] == ATTEMPTING -> passOrKeep(d) :: else fi
}

/* a turn (epoch te, count tc, what the sender knows of ours tk) received by d */
inline onTurn(d, te, tc, tk) {
  if
  :: ph[d] == DONE -> announceOutcome(d)
  :: ph[d] == NONE ->
     merge(d, tc);
     if :: holderOf(te) == d -> grant(d, te) :: else -> epoch[d] = te; ph[d] = WAITING fi;
     again[d] = 1
  :: live(d) && te == epoch[d] -> merge(d, tc)
#ifdef FENCING
  :: live(d) && te < epoch[d] ->
     merge(d, tc);
#ifdef STALE_ANSWER
     broadcastTurn(d)   /* answered with the newer epoch and holder */
#else
     skip               /* refused: commandRejected "stale epoch" */
#endif
  :: live(d) && te > epoch[d] ->
#else
  :: live(d) && te != epoch[d] ->
#endif
     merge(d, tc);
     if
     :: holderOf(te) == d && ph[d] != ATTEMPTING -> grant(d, te)
     :: holderOf(te) == d && ph[d] == ATTEMPTING ->  /* adopted; the attempt's result decides */
        overtakenAt(d, te); epoch[d] = te
     :: holderOf(te) != d ->  /* a running attempt goes on; its result is reported */
        epoch[d] = te; overtaken[d] = 0; cfm[d] = 0; ph[d] = WAITING
     fi
  fi
}

/* an outcome (count oc, delivered by op, what the sender knows of ours ok) received by d */
inline onOutcome(d, oc, op, ok) {
  if
  :: ph[d] == DONE ->
#ifdef SECOND_PATH
     if
     :: path[d] == d && op != d && op != UNKNOWN && !second[d] -> second[d] = 1; countDuplicate(d)
     :: else
     fi;
#endif
     if :: path[d] == UNKNOWN -> path[d] = op :: else fi;
     merge(d, oc);
     if :: ahead(d, oc, ok) -> announceOutcome(d) :: else fi
  :: else ->
     merge(d, oc); path[d] = op; finish(d);
     if :: ahead(d, oc, ok) -> announceOutcome(d) :: else fi
  fi
}

/* presence of the peer, connection number c, as the broker hands it to d */
inline onPresence(d, online, c) {
  if
  :: c < seen[d] -> skip  /* an older connection's state or will */
  :: else ->
     if
     :: online && c > seen[d] ->
        /* the peer's new connection: what it missed is sent again */
#ifdef REANNOUNCE
        again[d] = 1;
#endif
        if :: d == 0 && !copiedTo -> reoffer = 1 :: else fi;
        if :: ph[d] == SYNCING -> send(d, SYNC, gen[d], 0, 0) :: else fi
     :: else
     fi;
     seen[d] = c; peerOn[d] = online; heard[d] = 1
  fi
}

/* the broker's retained states reach a device that subscribes */
inline retained(d) {
  if
  :: ret[peer(d)] != 0 && nfull(inq[d]) ->
     inq[d]!(ret[peer(d)] % 2 -> ONLINE : OFFLINE), ret[peer(d)] / 2, 0, 0
  :: else
  fi
}

/* d's connection ends without a word: the broker publishes d's will */
inline will(d) {
  if
  :: balive -> ret[d] = cn[d] * 2; deliver(peer(d), OFFLINE, cn[d], 0, 0)
  :: else
  fi
}

proctype device(byte d) {
  mtype k; byte a, b, c;
  mtype gk; byte gj, ga, gb, gc;  /* ghosts: overtakenAt's reading of the queue */
end:
  do
  /* connect: subscribe (cleanSession=false), announce online, get the retained states, flush */
  :: atomic { up[d] && !conn[d] && balive ->
       conn[d] = 1; cn[d]++; sess[d] = 1; ret[d] = cn[d] * 2 + 1; heard[d] = 0;
       deliver(peer(d), ONLINE, cn[d], 0, 0);
       retained(d);
       do
       :: outq[d]?k, a, b, c -> deliver(peer(d), k, a, b, c)
       :: empty(outq[d]) -> break
       od;
       k = 0; a = 0; b = 0; c = 0
     }
  /* handle one message; it is acknowledged to the broker afterwards */
  :: atomic { up[d] && conn[d] && nempty(inq[d]) ->
       inq[d]?k, a, b, c;
       if
       :: k == TURN -> onTurn(d, a, b, c)
       :: k == OUTCOME -> onOutcome(d, a, b, c)
       :: k == ONLINE -> onPresence(d, 1, a)
       :: k == OFFLINE -> onPresence(d, 0, a)
       :: k == SYNC ->
          if
          :: ph[d] == DONE -> announceOutcome(d)
          :: live(d) -> broadcastTurn(d)
          :: else
          fi;
          send(d, SYNCED, a, 0, 0)  /* echoes the ask */
       :: k == SYNCED ->
          /* only an answer to this round's ask ends the sync: an earlier one was sent before the
             grant, or before the restart */
          if
          :: ph[d] == SYNCING && a == gen[d] && holderOf(epoch[d]) == d -> cfm[d] = 0; holdTurn(d)
          :: ph[d] == SYNCING && a == gen[d] && holderOf(epoch[d]) != d -> cfm[d] = 0; ph[d] = WAITING
          :: else
          fi
       :: k == OFFER ->
          if
          :: ph[d] == DONE -> announceOutcome(d)
          :: ph[d] == NONE -> ph[d] = WAITING; copy[d] = 1; again[d] = 1; send(d, COPY_ACK, 0, 0, 0)
          :: live(d) ->
             copy[d] = 1; send(d, COPY_ACK, 0, 0, 0);
             if :: ph[d] == WAIT_COPY -> ph[d] = BACKOFF :: else fi
          fi
       :: k == COPY_ACK -> copiedTo = 1
       fi;
       k = 0; a = 0; b = 0; c = 0
     }
  /* the periodic announcement of an unfinished item */
#ifdef REANNOUNCE
  :: atomic { up[d] && again[d] && live(d) ->
       again[d] = 0;
       if :: ph[d] == SYNCING -> send(d, SYNC, gen[d], 0, 0) :: else -> broadcastTurn(d) fi
     }
#endif
#ifdef OUTCOME_AGAIN
  :: atomic { up[d] && again[d] && ph[d] == DONE -> again[d] = 0; announceOutcome(d) }
#endif
  /* the origin offers its copy again (resume) */
  :: atomic { d == 0 && up[d] && reoffer && !copiedTo && live(d) ->
       reoffer = 0; send(d, OFFER, 0, 0, 0)
     }
  /* attempts: connect and send up to the final dot (or fail before it), final dot, reply */
  :: atomic { up[d] && att[d] == 1 ->
       if
       :: temps < TEMPS -> temps++; att[d] = 0; attOvertaken[d] = 0; resultFailed(d, 0)
#ifdef MARK
       :: fds[d] = 1; att[d] = 2  /* the mark is on disk before the dot goes */
#else
       :: att[d] = 2
#endif
       fi
     }
#ifdef MARK
  /* the final dot and its reply; the reply may be lost whether the dot landed or not */
  :: atomic { up[d] && att[d] == 2 ->
       att[d] = 0;
       if
       :: dot(d); attOvertaken[d] = 0; resultDelivered(d)
       :: ambigs < AMBIGS -> ambigs++; dot(d); attOvertaken[d] = 0; resultFailed(d, 1)
       :: ambigs < AMBIGS -> ambigs++; attOvertaken[d] = 0; resultFailed(d, 1)
       fi
     }
#else
  /* the final dot goes out, then the mark is written, then the reply comes */
  :: atomic { up[d] && att[d] == 2 ->
       if
       :: dot(d); landed[d] = 1
       :: ambigs < AMBIGS -> ambigs++; landed[d] = 0
       fi;
       att[d] = 3
     }
  :: atomic { up[d] && att[d] == 3 -> fds[d] = 1; att[d] = 4 }
  :: atomic { up[d] && att[d] == 4 ->
       att[d] = 0; attOvertaken[d] = 0;
       if
       :: landed[d] -> landed[d] = 0; resultDelivered(d)
       :: landed[d] && ambigs < AMBIGS -> ambigs++; landed[d] = 0; resultFailed(d, 1)
       :: !landed[d] -> resultFailed(d, 1)
       fi
     }
#endif
  /* the backoff ends, or the copy is complete: attempt (unless an old attempt still runs) */
  :: atomic { up[d] && ph[d] == BACKOFF && att[d] == 0 ->
       ph[d] = ATTEMPTING; att[d] = 1; attOvertaken[d] = overtaken[d]
     }
  :: atomic { up[d] && ph[d] == WAIT_COPY && copy[d] && att[d] == 0 ->
       ph[d] = ATTEMPTING; att[d] = 1; attOvertaken[d] = overtaken[d]
     }
  /* takeover: the holder is offline (any delay: the model has no clocks) */
  :: atomic { up[d] && ph[d] == WAITING && holderOf(epoch[d]) != d && !peerOn[d] ->
       nextEpoch(epoch[d], d); overtaken[d] = 0; broadcastTurn(d); holdTurn(d)
     }
  /* the sync after a restart ends without an answer where the peer cannot have sent the item */
  :: atomic { up[d] && ph[d] == SYNCING && !cfm[d] && d == 0 && !copiedTo ->
       if :: holderOf(epoch[d]) == d -> holdTurn(d) :: else -> ph[d] = WAITING fi
     }
#ifdef CONFIRM
  /* the grant stands: the granter is offline (any delay: no clocks) and d, connected, has read what
     the broker kept for it, the granter's retained state among it (the engine: caught up, its
     connection's mark came back) */
  :: atomic { up[d] && conn[d] && cfm[d] && ph[d] == SYNCING && !peerOn[d] && empty(inq[d]) &&
              (heard[d] || ret[peer(d)] == 0) ->
       cfm[d] = 0; holdTurn(d)
     }
#endif
  od
}

/* crashes, the broker's death, disconnections and the broker's faults */
proctype faults() {
  byte d, k, a, b, c;
end:
  do
  :: atomic { nfaults < FAULTS && crashes < CRASHES -> nfaults++; crashes++;
       if :: CRASHING != 1 -> d = 0 :: CRASHING != 0 -> d = 1 fi;
       if :: conn[d] -> will(d) :: else fi;
       up[d] = 0; conn[d] = 0; att[d] = 0; landed[d] = 0; peerOn[d] = 0; seen[d] = 0; again[d] = 0;
       cfm[d] = 0; attOvertaken[d] = 0; heard[d] = 0;
       do :: outq[d]?k, a, b, c :: empty(outq[d]) -> break od;
       d = 0
     }
  /* restart: volatile state is gone; a mark on disk counts one; unfinished items sync first */
  :: atomic { !up[0] || !up[1] ->
       if :: !up[0] -> d = 0 :: else -> d = 1 fi;
       up[d] = 1;
       if :: fds[d] -> countDuplicate(d) :: else fi;
       if :: live(d) -> ph[d] = SYNCING; gen[d]++; send(d, SYNC, gen[d], 0, 0) :: else fi;
       if :: d == 0 -> reoffer = 1 :: else fi;
       d = 0
     }
  :: atomic { nfaults < FAULTS && discs < DISCONNECTS && (conn[0] || conn[1]) -> nfaults++; discs++;
       if :: conn[0] -> d = 0 :: conn[1] -> d = 1 fi;
       conn[d] = 0; will(d);
#ifdef LOST_BROKER
       peerOn[d] = 0;
#endif
       d = 0
     }
  :: atomic { nfaults < FAULTS && bdeaths < BROKER_DEATHS && balive -> nfaults++; bdeaths++;
       balive = 0; conn[0] = 0; conn[1] = 0; sess[0] = 0; sess[1] = 0; ret[0] = 0; ret[1] = 0;
       do :: inq[0]?k, a, b, c :: empty(inq[0]) -> break od;
       do :: inq[1]?k, a, b, c :: empty(inq[1]) -> break od;
#ifdef LOST_BROKER
       peerOn[0] = 0; peerOn[1] = 0;
#endif
       lossy()
     }
  :: atomic { !balive -> balive = 1 }
  :: atomic { nfaults < FAULTS && losses < LOSSES && (nempty(inq[0]) || nempty(inq[1])) -> nfaults++; losses++;
       if :: inq[0]?k, a, b, c :: inq[1]?k, a, b, c fi;
       lossy(); k = 0; a = 0; b = 0; c = 0
     }
  :: atomic { nfaults < FAULTS && dups < DUPS &&
              ((nempty(inq[0]) && nfull(inq[0])) || (nempty(inq[1]) && nfull(inq[1]))) -> nfaults++; dups++;
       if
       :: nempty(inq[0]) && nfull(inq[0]) -> inq[0]?<k, a, b, c>; inq[0]!k, a, b, c
       :: nempty(inq[1]) && nfull(inq[1]) -> inq[1]?<k, a, b, c>; inq[1]!k, a, b, c
       fi;
       k = 0; a = 0; b = 0; c = 0
     }
  :: atomic { nfaults < FAULTS && reorders < REORDERS && (len(inq[0]) > 1 || len(inq[1]) > 1) -> nfaults++; reorders++;
       if
       :: len(inq[0]) > 1 -> inq[0]?k, a, b, c; inq[0]!k, a, b, c
       :: len(inq[1]) > 1 -> inq[1]?k, a, b, c; inq[1]!k, a, b, c
       fi;
       k = 0; a = 0; b = 0; c = 0
     }
  od
}

init {
  atomic {
    path[0] = UNKNOWN; path[1] = UNKNOWN;
    up[0] = 1; up[1] = 1;
    /* the origin queues the item: it takes the first turn, offers the copy and attempts at once */
    ph[0] = ATTEMPTING; copy[0] = 1; att[0] = 1;
    outq[0]!OFFER, 0, 0, 0;
    run device(0); run device(1); run faults()
  }
}

/*
 * The properties, checked when nothing can move any more (spin's timeout: every device idle,
 * every queue drained, every fault spent). With no non-progress cycle (pan -l) every run gets there.
 *   nothing lost, nobody waits for ever: every device has finished the item
 *   duplicates only where counted: every delivery after the first is counted
 *   no duplicate from an overtaken grant: when the item was delivered twice, neither delivery came
 *     from an attempt under a turn granted while the granter's newer turn or outcome was already
 *     queued for the holder at the broker
 */
active proctype quiescent() {
  timeout ->
    assert(allFinished);
    assert(dupsCounted);
    assert(noOvertakenGrant)
}
