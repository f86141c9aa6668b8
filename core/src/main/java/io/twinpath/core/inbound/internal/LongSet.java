package io.twinpath.core.inbound.internal;

import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * An open-addressing hash set of {@code long} values (no boxing: a million ids take about 16 MB).
 * Not thread-safe.
 */
public final class LongSet {
  private static final long EMPTY = 0L;

  private long[] table;
  private int size;
  private boolean hasZero;

  public LongSet() {
    this(16);
  }

  public LongSet(int expected) {
    int cap = 16;
    while (cap < expected * 2L) {
      cap <<= 1;
    }
    table = new long[cap];
  }

  public int size() {
    return size;
  }

  public boolean contains(long v) {
    if (v == EMPTY) {
      return hasZero;
    }
    long[] t = table;
    int mask = t.length - 1;
    int i = slot(v, mask);
    while (true) {
      long x = t[i];
      if (x == EMPTY) {
        return false;
      }
      if (x == v) {
        return true;
      }
      i = (i + 1) & mask;
    }
  }

  /** Adds {@code v}; false when it was already there. */
  public boolean add(long v) {
    if (v == EMPTY) {
      if (hasZero) {
        return false;
      }
      hasZero = true;
      size++;
      return true;
    }
    if ((size + 1) * 2L > table.length) {
      grow();
    }
    long[] t = table;
    int mask = t.length - 1;
    int i = slot(v, mask);
    while (true) {
      long x = t[i];
      if (x == EMPTY) {
        t[i] = v;
        size++;
        return true;
      }
      if (x == v) {
        return false;
      }
      i = (i + 1) & mask;
    }
  }

  /** Removes {@code v}; false when it was not there. */
  public boolean remove(long v) {
    if (v == EMPTY) {
      if (!hasZero) {
        return false;
      }
      hasZero = false;
      size--;
      return true;
    }
    long[] t = table;
    int mask = t.length - 1;
    int i = slot(v, mask);
    while (true) {
      long x = t[i];
      if (x == EMPTY) {
        return false;
      }
      if (x == v) {
        break;
      }
      i = (i + 1) & mask;
    }
    // backward-shift deletion keeps probe chains intact without tombstones
    int gap = i;
    int j = i;
    while (true) {
      j = (j + 1) & mask;
      long x = t[j];
      if (x == EMPTY) {
        break;
      }
      int home = slot(x, mask);
      boolean movable = gap <= j ? (home <= gap || home > j) : (home <= gap && home > j);
      if (movable) {
        t[gap] = x;
        gap = j;
      }
    }
    t[gap] = EMPTY;
    size--;
    return true;
  }

  public void forEach(LongConsumer action) {
    if (hasZero) {
      action.accept(EMPTY);
    }
    for (long x : table) {
      if (x != EMPTY) {
        action.accept(x);
      }
    }
  }

  public long[] toArray() {
    long[] out = new long[size];
    int[] n = {0};
    forEach(v -> out[n[0]++] = v);
    return out;
  }

  private void grow() {
    long[] old = table;
    table = new long[old.length * 2];
    int mask = table.length - 1;
    for (long x : old) {
      if (x != EMPTY) {
        int i = slot(x, mask);
        while (table[i] != EMPTY) {
          i = (i + 1) & mask;
        }
        table[i] = x;
      }
    }
  }

  private static int slot(long v, int mask) {
    long h = v * 0x9e3779b97f4a7c15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }

  @Override
  public String toString() {
    long[] a = toArray();
    Arrays.sort(a);
    return "LongSet" + Arrays.toString(a);
  }
}
