package io.meterbridge.server.store;

/**
 * Row counts for the admin API. Counting scans whole tables, so do not call it on a hot path.
 *
 * @param accounts accounts
 * @param products products
 * @param subscriptions subscriptions, active or not
 * @param batchRecords stored BatchMeterUsage records
 * @param meterRecords stored MeterUsage records
 * @param tasks registered tasks and pods
 */
public record StoreCounts(
    long accounts, long products, long subscriptions, long batchRecords, long meterRecords, long tasks) {}
