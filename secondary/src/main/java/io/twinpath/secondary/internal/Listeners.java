package io.twinpath.secondary.internal;

import io.twinpath.core.event.TwinpathListener;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listener in front of several: every event of {@link TwinpathListener}, whichever methods it
 * has now or gains later, goes to each listener in turn; one that throws is logged and does not
 * stop the others.
 */
public final class Listeners {
  private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

  private Listeners() {}

  public static TwinpathListener fanOut(List<TwinpathListener> listeners) {
    List<TwinpathListener> all = List.copyOf(listeners);
    return (TwinpathListener)
        Proxy.newProxyInstance(
            TwinpathListener.class.getClassLoader(),
            new Class<?>[] {TwinpathListener.class},
            (proxy, method, args) -> {
              if (method.getDeclaringClass() == Object.class) {
                return objectMethod(proxy, method, args, all);
              }
              for (TwinpathListener l : all) {
                try {
                  method.invoke(l, args);
                } catch (InvocationTargetException e) {
                  LOG.warn(
                      "a listener failed on {}: {}", method.getName(), e.getCause().toString());
                } catch (IllegalAccessException e) {
                  LOG.warn("a listener cannot take {}: {}", method.getName(), e.toString());
                }
              }
              return null;
            });
  }

  private static Object objectMethod(
      Object proxy, Method method, Object[] args, List<TwinpathListener> all) {
    return switch (method.getName()) {
      case "equals" -> proxy == args[0];
      case "hashCode" -> System.identityHashCode(proxy);
      default -> "listeners " + all;
    };
  }
}
