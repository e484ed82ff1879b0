package io.meterbridge.auth;

import io.meterbridge.auth.SigV4Exception.Reason;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The parts of a SigV4 {@code Authorization} header value:
 * {@code AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/service/aws4_request,
 * SignedHeaders=host;x-amz-date, Signature=<64 hex digits>}.
 *
 * <p>The server parses the header with {@link #parse}, looks up the secret of
 * {@link #accessKeyId()}, then hands both to {@link SigV4Verifier}. The signer builds one and
 * writes it with {@link #toHeaderValue()}.
 *
 * <pre>{@code
 * SigV4Authorization auth = SigV4Authorization.parse(
 *     "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
 *         + "SignedHeaders=host;x-amz-date, "
 *         + "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
 * auth.accessKeyId();    // "AKIDEXAMPLE"
 * auth.signedHeaders();  // [host, x-amz-date]
 * }</pre>
 *
 * @param accessKeyId the access key id of the signing credentials
 * @param date the scope's day, {@code yyyyMMdd}
 * @param region the scope's region, such as {@code us-east-1}
 * @param service the scope's service signing name, such as {@code aws-marketplace}
 * @param signedHeaders the signed header names: lower-case, sorted, distinct
 * @param signature the signature, 64 lower-case hex digits
 */
public record SigV4Authorization(
    String accessKeyId,
    String date,
    String region,
    String service,
    List<String> signedHeaders,
    String signature) {

  /**
   * Validates every component, with the same rules and messages as {@link #parse}.
   *
   * <pre>{@code
   * new SigV4Authorization("AKIDEXAMPLE", "20150830", "us-east-1", "service",
   *     List.of("host", "x-amz-date"), signatureHex);
   * }</pre>
   *
   * @throws SigV4Exception if a component is malformed
   */
  public SigV4Authorization {
    Objects.requireNonNull(accessKeyId, "accessKeyId");
    Objects.requireNonNull(date, "date");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(signedHeaders, "signedHeaders");
    Objects.requireNonNull(signature, "signature");
    String credential = accessKeyId + '/' + date + '/' + region + '/' + service + '/'
        + SigV4.TERMINATOR;
    if (accessKeyId.isEmpty() || region.isEmpty() || service.isEmpty()
        || containsSpaceOrSlash(region) || containsSpaceOrSlash(service)
        || containsSpace(accessKeyId)) {
      throw new SigV4Exception(Reason.MALFORMED_CREDENTIAL, "Credential '" + credential
          + "' must be <access key id>/<yyyyMMdd>/<region>/<service>/aws4_request.");
    }
    checkDate(date, credential);
    signedHeaders = List.copyOf(signedHeaders);
    checkSignedHeaders(signedHeaders);
    if (!Sha256.isLowerHex64(signature)) {
      throw new SigV4Exception(Reason.MALFORMED_SIGNATURE,
          "Signature must be 64 lower-case hex digits, got '" + signature + "'.");
    }
  }

  /**
   * Parses an {@code Authorization} header value. Components may come in any order, separated by
   * commas with optional spaces; each must appear once.
   *
   * <pre>{@code
   * SigV4Authorization.parse(request.headers().firstValue("Authorization").orElseThrow());
   * }</pre>
   *
   * @throws SigV4Exception whose {@link SigV4Exception#reason() reason} names the problem:
   *     {@code UNSUPPORTED_ALGORITHM}, {@code MALFORMED_AUTHORIZATION}, {@code MISSING_COMPONENT}
   *     (the message lists every missing one), {@code MALFORMED_CREDENTIAL},
   *     {@code MALFORMED_SIGNED_HEADERS} or {@code MALFORMED_SIGNATURE}
   */
  public static SigV4Authorization parse(String headerValue) {
    Objects.requireNonNull(headerValue, "headerValue");
    String value = headerValue.strip();
    int space = indexOfSpace(value);
    String algorithm = space < 0 ? value : value.substring(0, space);
    if (!algorithm.equals(SigV4.ALGORITHM)) {
      if (algorithm.isEmpty() || algorithm.indexOf('=') >= 0) {
        throw new SigV4Exception(Reason.MALFORMED_AUTHORIZATION,
            "Authorization header must start with the algorithm " + SigV4.ALGORITHM + ".");
      }
      throw new SigV4Exception(Reason.UNSUPPORTED_ALGORITHM,
          "Unsupported AWS 'algorithm': '" + algorithm + "'.");
    }
    String credential = null;
    String signedHeaders = null;
    String signature = null;
    String rest = space < 0 ? "" : value.substring(space + 1);
    int start = 0;
    while (start <= rest.length()) {
      int comma = rest.indexOf(',', start);
      int end = comma < 0 ? rest.length() : comma;
      String part = rest.substring(start, end).strip();
      start = end + 1;
      if (part.isEmpty()) {
        continue;
      }
      int eq = part.indexOf('=');
      if (eq <= 0) {
        throw new SigV4Exception(Reason.MALFORMED_AUTHORIZATION,
            "Authorization header component '" + part + "' is not a key=value pair.");
      }
      String key = part.substring(0, eq).strip();
      String v = part.substring(eq + 1).strip();
      switch (key) {
        case "Credential" -> credential = once(key, credential, v);
        case "SignedHeaders" -> signedHeaders = once(key, signedHeaders, v);
        case "Signature" -> signature = once(key, signature, v);
        default -> throw new SigV4Exception(Reason.MALFORMED_AUTHORIZATION,
            "Authorization header has an unknown component '" + key + "'.");
      }
    }
    StringBuilder missing = new StringBuilder();
    requireComponent(missing, "Credential", credential);
    requireComponent(missing, "SignedHeaders", signedHeaders);
    requireComponent(missing, "Signature", signature);
    if (missing.length() > 0) {
      throw new SigV4Exception(Reason.MISSING_COMPONENT,
          missing + "Authorization=" + SigV4.ALGORITHM);
    }
    return fromComponents(credential, signedHeaders, signature);
  }

  /**
   * The credential scope, {@code date/region/service/aws4_request}.
   *
   * <pre>{@code
   * auth.scope(); // "20150830/us-east-1/service/aws4_request"
   * }</pre>
   */
  public String scope() {
    return SigV4.scope(date, region, service);
  }

  /**
   * The {@code Authorization} header value, in the exact form AWS SDKs send.
   *
   * <pre>{@code
   * auth.toHeaderValue();
   * // "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa0..."
   * }</pre>
   */
  public String toHeaderValue() {
    StringBuilder sb = new StringBuilder(160 + 16 * signedHeaders.size());
    sb.append(SigV4.ALGORITHM).append(" Credential=").append(accessKeyId).append('/')
        .append(scope()).append(", SignedHeaders=");
    for (int i = 0; i < signedHeaders.size(); i++) {
      if (i > 0) {
        sb.append(';');
      }
      sb.append(signedHeaders.get(i));
    }
    return sb.append(", Signature=").append(signature).toString();
  }

  private static SigV4Authorization fromComponents(
      String credential, String signedHeaders, String signature) {
    // The access key id is everything before the last four elements, so an odd id with a slash
    // still parses; AWS ids never contain one.
    int[] slashes = new int[4];
    int found = 0;
    for (int i = credential.length() - 1; i >= 0 && found < 4; i--) {
      if (credential.charAt(i) == '/') {
        slashes[found++] = i;
      }
    }
    if (found < 4) {
      throw new SigV4Exception(Reason.MALFORMED_CREDENTIAL, "Credential '" + credential
          + "' must be <access key id>/<yyyyMMdd>/<region>/<service>/aws4_request.");
    }
    String terminator = credential.substring(slashes[0] + 1);
    if (!terminator.equals(SigV4.TERMINATOR)) {
      throw new SigV4Exception(Reason.MALFORMED_CREDENTIAL,
          "Credential should be scoped with a valid terminator: 'aws4_request', not '"
              + terminator + "'.");
    }
    String service = credential.substring(slashes[1] + 1, slashes[0]);
    String region = credential.substring(slashes[2] + 1, slashes[1]);
    String date = credential.substring(slashes[3] + 1, slashes[2]);
    String accessKeyId = credential.substring(0, slashes[3]);
    List<String> names = new ArrayList<>();
    int start = 0;
    while (start <= signedHeaders.length()) {
      int semi = signedHeaders.indexOf(';', start);
      int end = semi < 0 ? signedHeaders.length() : semi;
      names.add(signedHeaders.substring(start, end));
      start = end + 1;
    }
    return new SigV4Authorization(accessKeyId, date, region, service, names, signature);
  }

  private static void checkDate(String date, String credential) {
    boolean digits = date.length() == 8;
    for (int i = 0; digits && i < 8; i++) {
      digits = date.charAt(i) >= '0' && date.charAt(i) <= '9';
    }
    if (digits) {
      try {
        LocalDate.of(Integer.parseInt(date.substring(0, 4)),
            Integer.parseInt(date.substring(4, 6)), Integer.parseInt(date.substring(6, 8)));
        return;
      } catch (DateTimeException e) {
        // falls through to the precise message below
      }
    }
    throw new SigV4Exception(Reason.MALFORMED_CREDENTIAL, "Credential '" + credential
        + "' must be scoped to a date in yyyyMMdd format, not '" + date + "'.");
  }

  private static void checkSignedHeaders(List<String> names) {
    if (names.isEmpty()) {
      throw new SigV4Exception(Reason.MALFORMED_SIGNED_HEADERS, "SignedHeaders is empty.");
    }
    String previous = null;
    for (String name : names) {
      if (name.isEmpty()) {
        throw new SigV4Exception(Reason.MALFORMED_SIGNED_HEADERS,
            "SignedHeaders " + String.join(";", names) + " contains an empty header name.");
      }
      for (int i = 0; i < name.length(); i++) {
        char c = name.charAt(i);
        if (c <= ' ' || c >= 0x7f || c == ':' || c == ',' || (c >= 'A' && c <= 'Z')) {
          throw new SigV4Exception(Reason.MALFORMED_SIGNED_HEADERS, "SignedHeaders name '" + name
              + "' must be a lower-case header name.");
        }
      }
      if (previous != null && previous.compareTo(name) >= 0) {
        throw new SigV4Exception(Reason.MALFORMED_SIGNED_HEADERS, "SignedHeaders "
            + String.join(";", names) + " must be sorted and distinct: '" + name
            + "' follows '" + previous + "'.");
      }
      previous = name;
    }
  }

  private static String once(String key, String seen, String value) {
    if (seen != null) {
      throw new SigV4Exception(Reason.MALFORMED_AUTHORIZATION,
          "Authorization header has component '" + key + "' more than once.");
    }
    return value;
  }

  private static void requireComponent(StringBuilder missing, String key, String value) {
    if (value == null || value.isEmpty()) {
      missing.append("Authorization header requires '").append(key).append("' parameter. ");
    }
  }

  private static int indexOfSpace(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ' ' || c == '\t') {
        return i;
      }
    }
    return -1;
  }

  private static boolean containsSpace(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) <= ' ') {
        return true;
      }
    }
    return false;
  }

  private static boolean containsSpaceOrSlash(String s) {
    return containsSpace(s) || s.indexOf('/') >= 0;
  }
}
