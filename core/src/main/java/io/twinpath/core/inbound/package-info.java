/**
 * Inbound mail on every device: item ids ({@link io.twinpath.core.inbound.InboundId}), the id set
 * each device keeps ({@link io.twinpath.core.inbound.InboundIdSet}), set reconciliation between
 * devices with a rateless IBLT ({@link io.twinpath.core.inbound.Reconciliation}), the transfer of
 * the missing messages, and fetching over IMAP and POP3.
 */
@NullMarked
package io.twinpath.core.inbound;

import org.jspecify.annotations.NullMarked;
