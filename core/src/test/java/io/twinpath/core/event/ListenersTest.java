package io.twinpath.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinpath.core.DeviceId;
import io.twinpath.core.item.ItemId;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Every event of the listener interface, including ones added later, reaches every listener behind
 * the fan-out, even when one of them throws.
 */
class ListenersTest {
  /** A listener that records the name of each event it gets, and may throw on every one. */
  private static TwinpathListener recording(List<String> into, boolean throwing) {
    return (TwinpathListener)
        Proxy.newProxyInstance(
            TwinpathListener.class.getClassLoader(),
            new Class<?>[] {TwinpathListener.class},
            (p, m, a) -> {
              if (m.getDeclaringClass() == Object.class) {
                return m.getName().equals("hashCode")
                    ? 0
                    : m.getName().equals("equals") ? false : "r";
              }
              into.add(m.getName());
              if (throwing) {
                throw new IllegalStateException("listener bug");
              }
              return null;
            });
  }

  private static Object sample(Class<?> type) {
    if (type == ItemId.class) {
      return ItemId.generate(java.time.Clock.systemUTC());
    }
    if (type == DeviceId.class) {
      return DeviceId.of("dongle");
    }
    if (type == String.class) {
      return "x";
    }
    if (type == long.class) {
      return 1L;
    }
    if (type == int.class) {
      return 1;
    }
    if (type == boolean.class) {
      return true;
    }
    if (type == Instant.class) {
      return Instant.EPOCH;
    }
    if (type == FailureClass.class) {
      return FailureClass.values()[0];
    }
    if (type == Map.class) {
      return Map.of();
    }
    throw new AssertionError("no sample for " + type);
  }

  @Test
  void everyEventReachesEveryListenerEvenPastOneThatThrows() throws Exception {
    List<String> first = new CopyOnWriteArrayList<>();
    List<String> second = new CopyOnWriteArrayList<>();
    TwinpathListener all =
        Listeners.fanOut(List.of(recording(first, true), recording(second, false)));
    List<String> expected = new ArrayList<>();
    for (Method m : TwinpathListener.class.getMethods()) {
      if (Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      Object[] args = new Object[m.getParameterCount()];
      for (int i = 0; i < args.length; i++) {
        args[i] = sample(m.getParameterTypes()[i]);
      }
      m.invoke(all, args);
      expected.add(m.getName());
    }
    assertThat(expected).contains("delivered", "modemRecovery", "peerPresence");
    assertThat(first).containsExactlyElementsOf(expected);
    assertThat(second).containsExactlyElementsOf(expected);
    assertThat(all.toString()).startsWith("listeners ");
  }
}
