/** The subcommands of twinpath-host. */
@NullMarked
package io.twinpath.host.internal.cli;

import org.jspecify.annotations.NullMarked;
