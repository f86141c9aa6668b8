/**
 * Configuration values: one syntax for durations, sizes, numbers, booleans, names, lists and
 * addresses ({@link io.twinpath.core.config.Values}), each setting declared once with its parser,
 * default and description ({@link io.twinpath.core.config.Setting}), raw values read from any front
 * end with where each came from ({@link io.twinpath.core.config.RawSettings}) and parsed once
 * ({@link io.twinpath.core.config.SettingValues}), one error shape ({@link
 * io.twinpath.core.config.SettingException}) and one {@link io.twinpath.core.config.Secret}.
 */
@NullMarked
package io.twinpath.core.config;

import org.jspecify.annotations.NullMarked;
