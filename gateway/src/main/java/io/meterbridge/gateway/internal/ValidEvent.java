package io.meterbridge.gateway.internal;

import java.util.List;

/**
 * An event that passed every check that needs no database: what the writer stores and sums.
 *
 * @param id the seller's id
 * @param key the record it sums into (its own hour; late usage may go to a later one)
 * @param quantity the quantity
 * @param usageTime the event's timestamp, epoch ms
 * @param keyHi the first 64 bits of the event key
 * @param keyLo the second 64 bits of the event key
 * @param content the content hash that tells a duplicate from a conflict
 * @param tagged the allocations with tags (canonical tag set, quantity); the rest is untagged
 * @param tooLate when set, the event is past its deadline: it is answered duplicate or conflict if
 *     the ledger knows its id (a retry after a long outage lost nothing), else rejected with this reason
 */
record ValidEvent(
    String id, RecordKey key, long quantity, long usageTime, long keyHi, long keyLo, long content,
    List<TaggedQuantity> tagged, String tooLate) {

  /** A quantity allocated to one canonical tag set. */
  record TaggedQuantity(String tags, long quantity) {}
}
