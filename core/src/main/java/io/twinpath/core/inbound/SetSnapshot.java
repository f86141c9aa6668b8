package io.twinpath.core.inbound;

import io.twinpath.core.inbound.internal.CodedSymbols;
import org.jspecify.annotations.Nullable;

/**
 * One reconciliation's frozen view of an {@link InboundIdSet}: its digest, sketches and the coded
 * symbols kept at that moment. Symbols beyond the kept prefix are computed from the live set only
 * if it has not changed since; otherwise the reconciliation stops and is started again.
 */
final class SetSnapshot {
  private final InboundIdSet set;
  private final long version;
  final int size;
  final long digestSum;
  final long[] smallSketch;
  final long[] fullSketch;
  private CodedSymbols symbols;

  SetSnapshot(
      InboundIdSet set,
      long version,
      int size,
      long digestSum,
      long[] smallSketch,
      long[] fullSketch,
      CodedSymbols symbols) {
    this.set = set;
    this.version = version;
    this.size = size;
    this.digestSum = digestSum;
    this.smallSketch = smallSketch;
    this.fullSketch = fullSketch;
    this.symbols = symbols;
  }

  long checksum0() {
    return symbols.checksum(0);
  }

  /**
   * The coded symbols, with at least {@code to} of them.
   *
   * @return null when more are needed than were kept and the set has changed since the snapshot
   */
  @Nullable CodedSymbols symbols(int to) {
    if (to <= symbols.size()) {
      return symbols;
    }
    CodedSymbols more = set.symbolsIfUnchanged(version, to);
    if (more == null) {
      return null;
    }
    symbols = more;
    return symbols;
  }
}
