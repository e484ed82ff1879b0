package io.meterbridge.server.auth;

import java.util.Optional;

/**
 * The access key id and region an {@code Authorization} header names in its credential scope
 * ({@code Credential=AKID/20260801/us-east-1/aws-marketplace/aws4_request}), read leniently and
 * without checking anything: for the insecure authenticators, which believe what a request says.
 */
final class CredentialScope {
  private static final String CREDENTIAL = "Credential=";

  private CredentialScope() {}

  /** The access key id: the scope's first field, when a {@code /} follows it. */
  static Optional<String> accessKeyId(IncomingRequest request) {
    String[] fields = fields(request);
    return fields.length > 1 && !fields[0].isEmpty() ? Optional.of(fields[0]) : Optional.empty();
  }

  /** The region: the scope's third field. */
  static Optional<String> region(IncomingRequest request) {
    String[] fields = fields(request);
    return fields.length > 2 && !fields[2].isEmpty() ? Optional.of(fields[2]) : Optional.empty();
  }

  /** The scope's '/'-separated fields; the scope ends at ',' or white space. */
  private static String[] fields(IncomingRequest request) {
    String header = request.header("authorization").orElse("");
    int at = header.indexOf(CREDENTIAL);
    if (at < 0) {
      return new String[0];
    }
    int start = at + CREDENTIAL.length();
    int end = start;
    while (end < header.length() && header.charAt(end) != ',' && !Character.isWhitespace(header.charAt(end))) {
      end++;
    }
    return header.substring(start, end).split("/", -1);
  }
}
