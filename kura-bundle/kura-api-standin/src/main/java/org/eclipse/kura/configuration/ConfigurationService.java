package org.eclipse.kura.configuration;

/** Kura's configuration service; only the constant Twinpath reads is declared here. */
public interface ConfigurationService {
  /** The property Kura adds to every configuration it manages. */
  String KURA_SERVICE_PID = "kura.service.pid";
}
