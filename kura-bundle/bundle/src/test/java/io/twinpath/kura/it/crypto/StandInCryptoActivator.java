package io.twinpath.kura.it.crypto;

import org.eclipse.kura.crypto.CryptoService;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/** Registers {@link StandInCrypto} as the framework's CryptoService. */
public final class StandInCryptoActivator implements BundleActivator {
  @Override
  public void start(BundleContext context) {
    context.registerService(CryptoService.class, new StandInCrypto(), null);
  }

  @Override
  public void stop(BundleContext context) {
    // the framework unregisters the service
  }
}
