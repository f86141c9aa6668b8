package io.twinpath.host.internal.cli;

import io.twinpath.host.internal.submit.SubmitException;

/** sysexits.h codes the commands use. */
final class Exits {
  static final int OK = 0;
  static final int USAGE = 64;
  static final int DATAERR = 65;
  static final int NOINPUT = 66;
  static final int SOFTWARE = 70;
  static final int CANTCREAT = 73;
  static final int TEMPFAIL = 75;
  static final int CONFIG = 78;

  private Exits() {}

  static int of(SubmitException e) {
    return e.kind().exitCode();
  }
}
