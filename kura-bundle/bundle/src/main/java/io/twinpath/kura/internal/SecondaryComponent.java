package io.twinpath.kura.internal;

import io.twinpath.core.config.Secret;
import io.twinpath.kura.TwinpathKura;
import java.io.File;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.eclipse.kura.KuraException;
import org.eclipse.kura.configuration.ConfigurableComponent;
import org.eclipse.kura.configuration.ConfigurationService;
import org.eclipse.kura.crypto.CryptoService;
import org.jspecify.annotations.Nullable;
import org.osgi.framework.BundleContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Twinpath secondary as a Kura configurable component (declared in {@code
 * OSGI-INF/io.twinpath.kura.Secondary.xml}): activated once Kura has a configuration for {@link
 * TwinpathKura#PID}, re-applied live on every change from the web console, stopped on deactivation.
 * Password settings arrive encrypted and are decrypted through Kura's {@link CryptoService};
 * neither form is ever logged. A configuration with a bad value is refused with a log line naming
 * the setting, and the previous one keeps running.
 */
public final class SecondaryComponent implements ConfigurableComponent {
  private static final Logger LOG = LoggerFactory.getLogger(SecondaryComponent.class);

  private final Clock clock = Clock.systemUTC();
  private @Nullable CryptoService crypto;
  private @Nullable BundleContext bundleContext;
  private @Nullable SecondaryRuntime runtime;

  public void setCryptoService(CryptoService crypto) {
    this.crypto = crypto;
  }

  public void unsetCryptoService(CryptoService crypto) {
    if (this.crypto == crypto) {
      this.crypto = null;
    }
  }

  public synchronized void activate(BundleContext context, Map<String, Object> properties) {
    this.bundleContext = context;
    LOG.info(
        "Twinpath secondary activating ({}={})",
        ConfigurationService.KURA_SERVICE_PID,
        properties.getOrDefault(ConfigurationService.KURA_SERVICE_PID, TwinpathKura.PID));
    apply(properties);
  }

  /** Kura's web console saved a changed configuration: apply it without a restart. */
  public synchronized void updated(Map<String, Object> properties) {
    LOG.info("Twinpath secondary configuration changed");
    apply(properties);
  }

  public synchronized void deactivate() {
    SecondaryRuntime r = runtime;
    runtime = null;
    if (r != null) {
      r.close();
    }
    LOG.info("Twinpath secondary deactivated");
  }

  private void apply(Map<String, Object> properties) {
    KuraSettings settings;
    Path dataDir;
    try {
      settings = KuraSettings.from(properties, this::decrypt);
      Assembly.validate(settings);
      dataDir = settings.dataDir().orElseGet(this::bundleDataDir);
    } catch (IllegalArgumentException e) {
      if (runtime == null) {
        LOG.error("Twinpath secondary not started: {}. Fix it in the web console.", e.getMessage());
      } else {
        LOG.error(
            "Twinpath secondary refused the new configuration: {}. Still running with the"
                + " previous one.",
            e.getMessage());
      }
      return;
    }
    SecondaryRuntime old = runtime;
    if (old != null && old.settings().equals(settings) && old.dataDir().equals(dataDir)) {
      LOG.info("Twinpath secondary configuration unchanged; nothing to apply");
      return;
    }
    if (old != null) {
      // queued items stay in the data directory; the new runtime picks them up
      runtime = null;
      old.close();
    }
    LOG.info("Twinpath secondary applying: {}", settings.summary());
    runtime = SecondaryRuntime.start(settings, dataDir, clock);
  }

  private Secret decrypt(String key, String encrypted) {
    CryptoService c = crypto;
    if (c == null) {
      throw new IllegalArgumentException(
          "setting '" + key + "' cannot be decrypted: Kura's CryptoService is not available");
    }
    try {
      return Secret.of(c.decryptAes(encrypted.toCharArray()));
    } catch (KuraException | RuntimeException e) {
      // the exception may quote the value: report only its kind
      throw new IllegalArgumentException(
          "setting '"
              + key
              + "' could not be decrypted by Kura's CryptoService ("
              + e.getClass().getSimpleName()
              + "); enter the password again in the web console");
    }
  }

  private Path bundleDataDir() {
    BundleContext ctx = bundleContext;
    File f = ctx == null ? null : ctx.getDataFile("twinpath");
    if (f == null) {
      throw new IllegalArgumentException(
          "setting 'data.dir' is empty and the framework gives this bundle no data area;"
              + " set data.dir to an absolute directory");
    }
    return f.toPath();
  }
}
