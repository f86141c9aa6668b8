package io.twinpath.kura.internal;

import io.twinpath.core.config.Secret;

/** Turns the encrypted form Kura stores for a {@code Password} setting back into the secret. */
@FunctionalInterface
public interface PasswordDecryptor {
  /**
   * @param key the setting, for the error message
   * @param encrypted what Kura handed over
   * @throws IllegalArgumentException naming the key (never the value) when it cannot be decrypted
   */
  Secret decrypt(String key, String encrypted);
}
