package io.meterbridge.server;

import java.time.Instant;

/**
 * What the server knows about one answered request once its answer is ready: handed to the
 * {@link CallListener}. Text the server could not know is empty, never null.
 *
 * @param receivedAt when the server had read the whole request
 * @param requestId the {@code x-amzn-RequestId} of the response
 * @param api whether it was a metering API call ({@code POST /}), rather than a plain route
 * @param operation the API operation's name ({@code MeterUsage}), or {@code METHOD /path} for a
 *     plain route; empty when the request was refused before its operation was known
 * @param accountId the authenticated caller's account
 * @param accessKeyId the access key id the request was signed with, also when the signature failed
 * @param source the client's IP address
 * @param status the HTTP status answered; 0 when the connection was dropped on purpose
 * @param errorCode the AWS error code of a refused API call
 * @param records the usage records the call carried
 * @param latencyNanos from reading the request to the answer being ready
 * @param response the operation's response of a successful API call (such as a {@code
 *     BatchMeterUsageResponse}, whose results say each record's status); null otherwise
 */
public record CallRecord(Instant receivedAt, String requestId, boolean api, String operation, String accountId,
    String accessKeyId, String source, int status, String errorCode, int records, long latencyNanos,
    Object response) {}
