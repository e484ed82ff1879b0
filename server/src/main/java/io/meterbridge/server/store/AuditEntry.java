package io.meterbridge.server.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One row of the audit trail: a call the server answered, accepted or refused, or an admin request.
 * Text fields the server could not know (the account of a call whose signature failed, the error
 * code of a success) are empty, never null. No secret, signature or body is ever part of it.
 *
 * @param at when the server had read the whole request
 * @param requestId the {@code x-amzn-RequestId} of the response
 * @param operation the API operation ({@code BatchMeterUsage}), or {@code METHOD /path} for the
 *     admin API and other plain routes; empty when the request could not be read at all
 * @param accountId the caller's account as authentication established it
 * @param accessKeyId the access key id the request was signed with (also when the signature failed)
 * @param source the client's IP address
 * @param status the HTTP status answered; 0 when the connection was dropped (fault injection)
 * @param errorCode the AWS error code ({@code ThrottlingException}) or admin error of a refusal
 * @param records the usage records the call carried (a batch's size, 1 for MeterUsage)
 * @param latencyMicros from reading the request to handing the response to the connection
 */
public record AuditEntry(Instant at, String requestId, String operation, String accountId, String accessKeyId,
    String source, int status, String errorCode, int records, long latencyMicros) {
  public AuditEntry {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(accessKeyId, "accessKeyId");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(errorCode, "errorCode");
  }

  /** Whether the call succeeded (a 2xx status). */
  public boolean success() {
    return status >= 200 && status < 300;
  }
}
