/** The deployment package in real OSGi frameworks assembled like Kura's runtime. */
@NullMarked
package io.twinpath.kura.it;

import org.jspecify.annotations.NullMarked;
