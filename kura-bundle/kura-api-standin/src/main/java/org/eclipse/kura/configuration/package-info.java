/** Stand-in for the Eclipse Kura API package of the same name: only the types Twinpath uses. */
@NullMarked
package org.eclipse.kura.configuration;

import org.jspecify.annotations.NullMarked;
