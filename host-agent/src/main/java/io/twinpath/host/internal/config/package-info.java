/** The host's configuration file: parsed, validated and immutable. */
@NullMarked
package io.twinpath.host.internal.config;

import org.jspecify.annotations.NullMarked;
