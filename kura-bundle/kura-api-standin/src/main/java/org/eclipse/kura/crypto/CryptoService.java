package org.eclipse.kura.crypto;

import org.eclipse.kura.KuraException;

/**
 * Kura's crypto service, reduced to the methods Twinpath and its tests call. Kura encrypts every
 * {@code Password} configuration value with {@link #encryptAes(char[])} before storing it.
 */
public interface CryptoService {
  char[] encryptAes(char[] value) throws KuraException;

  char[] decryptAes(char[] encryptedValue) throws KuraException;
}
