package io.meterbridge.server.store;

/**
 * How busy a {@link Store} is right now, for metrics: read at scrape time, nothing on the write
 * path.
 *
 * @param writeQueue metering writes waiting for the group-commit writer
 * @param commits groups committed since the start
 * @param committedRecords records in those groups ({@code committedRecords / commits} is the mean group size)
 * @param poolActive pooled connections in use (reads, catalog writes, audit writes)
 * @param poolIdle pooled connections idle
 * @param poolWaiting threads waiting for a pooled connection
 * @param poolMax the pool's size
 * @param auditQueue audit entries waiting to be written
 * @param auditDropped audit entries lost since the start (queue full or write failed)
 */
public record StoreLoad(int writeQueue, long commits, long committedRecords, int poolActive, int poolIdle,
    int poolWaiting, int poolMax, int auditQueue, long auditDropped) {}
