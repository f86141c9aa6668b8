package org.eclipse.kura;

/** The Kura error codes Twinpath uses (the real enumeration has many more). */
public enum KuraErrorCode {
  CONFIGURATION_ERROR,
  ENCODE_ERROR,
  DECODER_ERROR
}
