package io.meterbridge.server.store;

import java.time.Instant;

/**
 * One row of a usage report: the sum of the records of one group. A key the report does not group
 * by is the empty string, as is the license of usage sent without one (by product code).
 *
 * @param period the first instant of the row's hour, day or month (UTC); the query's {@code from}
 *     when the report has no period
 * @param quantity the sum of the records' quantities
 * @param records how many records were summed
 */
public record UsageSum(Instant period, String productCode, String customer, String dimension, String licenseArn,
    String region, long quantity, long records) {}
