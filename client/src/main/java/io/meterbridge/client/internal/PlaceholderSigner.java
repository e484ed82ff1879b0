package io.meterbridge.client.internal;

import io.meterbridge.auth.AwsCredentials;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * TEMPORARY stand-in for {@code io.meterbridge.auth.SigV4Signer}, which is being written on its own
 * branch: it produces the SigV4 header layout (date, credential scope, signed header list, session
 * token) with a placeholder signature of zeros. A real AWS endpoint rejects it; a Meterbridge server
 * with authentication off, and every test that checks only the credential scope, accepts it.
 * Replaced by a {@code SigV4Signer} adapter when that lands on main.
 */
public final class PlaceholderSigner implements RequestSigner {
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  @Override
  public Map<String, String> sign(String method, URI uri, Map<String, String> headers, byte[] body,
      AwsCredentials credentials, String region, String service, Instant now) {
    String amzDate = AMZ_DATE.format(now);
    TreeSet<String> signed = new TreeSet<>();
    signed.add("host");
    signed.add("x-amz-date");
    for (String name : headers.keySet()) {
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.equals("content-type") || lower.startsWith("x-amz-")) {
        signed.add(lower);
      }
    }
    Map<String, String> added = new LinkedHashMap<>();
    added.put("X-Amz-Date", amzDate);
    if (credentials.sessionToken().isPresent()) {
      added.put("X-Amz-Security-Token", credentials.sessionToken().get());
      signed.add("x-amz-security-token");
    }
    added.put("Authorization", "AWS4-HMAC-SHA256 Credential=" + credentials.accessKeyId() + "/"
        + amzDate.substring(0, 8) + "/" + region + "/" + service + "/aws4_request, SignedHeaders="
        + String.join(";", signed) + ", Signature=" + "0".repeat(64));
    return added;
  }
}
