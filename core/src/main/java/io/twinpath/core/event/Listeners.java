package io.twinpath.core.event;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listener in front of several: every event of {@link TwinpathListener}, whichever methods it
 * has now or gains later, goes to each listener in turn; one that throws is logged and does not
 * stop the others. The engine and the secondary both call their listeners through this, so an event
 * added to the interface reaches every listener without a forwarding method to write.
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
                  if (e.getCause() instanceof Error err) {
                    throw err;
                  }
                  LOG.warn(
                      "listener {} failed on {}",
                      l.getClass().getName(),
                      method.getName(),
                      e.getCause());
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
