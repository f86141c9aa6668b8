package io.twinpath.testing;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real Mosquitto per test class: {@code @RegisterExtension static MosquittoExtension mqtt = new
 * MosquittoExtension();}.
 */
public final class MosquittoExtension implements BeforeAllCallback, AfterAllCallback {
  private @Nullable MosquittoBroker broker;

  @Override
  public void beforeAll(ExtensionContext context) {
    broker = MosquittoBroker.start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    MosquittoBroker b = broker;
    broker = null;
    if (b != null) {
      b.close();
    }
  }

  public MosquittoBroker broker() {
    MosquittoBroker b = broker;
    if (b == null) {
      throw new IllegalStateException("the broker starts before the first test of the class");
    }
    return b;
  }

  public String url() {
    return broker().url();
  }
}
