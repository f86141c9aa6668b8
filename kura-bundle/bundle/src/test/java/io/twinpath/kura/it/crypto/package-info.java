/**
 * A stand-in for Kura's CryptoService, packaged into a bundle by the tests and installed next to
 * the deployment package. It imports only the Kura API and the framework.
 */
@NullMarked
package io.twinpath.kura.it.crypto;

import org.jspecify.annotations.NullMarked;
