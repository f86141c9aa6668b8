package org.eclipse.kura.configuration;

/**
 * Marker for a component whose configuration Kura manages and shows in the web console (needs
 * {@code service.pid} and {@code kura.service.pid} among the service properties).
 */
public interface ConfigurableComponent {}
