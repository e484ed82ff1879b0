package io.meterbridge.server.auth;

import io.meterbridge.auth.RequestHeaders;
import io.meterbridge.auth.SigV4;
import io.meterbridge.auth.SigV4Authorization;
import io.meterbridge.auth.SigV4Exception;
import io.meterbridge.auth.SigV4Verification;
import io.meterbridge.auth.SigV4Verifier;
import io.meterbridge.auth.SignableRequest;
import io.meterbridge.exception.IncompleteSignatureException;
import io.meterbridge.exception.InvalidSignatureException;
import io.meterbridge.exception.MissingAuthenticationTokenException;
import io.meterbridge.exception.UnrecognizedClientException;
import io.meterbridge.server.Caller;
import io.meterbridge.server.store.AccessKey;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Verifies AWS Signature Version 4 ({@code AWS4-HMAC-SHA256} in the {@code Authorization}
 * header), as AWS does for this service: credential scope service {@code aws-marketplace}, region
 * one of the server's, {@code X-Amz-Date} within 15 minutes of the server's clock, and the
 * signature recomputed from the headers the client signed and the SHA-256 of the body (or the
 * {@code X-Amz-Content-Sha256} it sent, which must match the body).
 *
 * <table>
 *   <caption>Failures</caption>
 *   <tr><td>no {@code Authorization} header</td><td>{@code MissingAuthenticationTokenException} (403)</td></tr>
 *   <tr><td>malformed or partial header, no {@code X-Amz-Date}</td><td>{@code IncompleteSignatureException}</td></tr>
 *   <tr><td>unknown access key id</td><td>{@code UnrecognizedClientException}</td></tr>
 *   <tr><td>wrong signature, region or service; date more than 15 minutes off ("Signature expired: ...")</td>
 *       <td>{@code InvalidSignatureException}</td></tr>
 * </table>
 *
 * <pre>{@code
 * Authenticator auth = SigV4Authenticator.builder()
 *     .regions("us-east-1")
 *     .keys(catalog::accessKey)
 *     .build();
 * }</pre>
 */
public final class SigV4Authenticator implements Authenticator {
  /** The signing name of AWS Marketplace Metering. */
  public static final String SERVICE = "aws-marketplace";

  private final Map<String, SigV4Verifier> verifiers;
  private final String regionsServed; // in the order given, for the wrong-region hint
  private final AccessKeys keys;
  private final Clock clock;

  private SigV4Authenticator(Builder b) {
    Map<String, SigV4Verifier> byRegion = new LinkedHashMap<>();
    for (String region : b.regions) {
      byRegion.put(region, SigV4Verifier.builder().service(SERVICE).region(region).maxClockSkew(b.maxClockSkew).build());
    }
    this.verifiers = Map.copyOf(byRegion);
    this.regionsServed = String.join(", ", byRegion.keySet());
    this.keys = b.keys;
    this.clock = b.clock;
  }

  /** A builder; regions and keys are required. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public CompletionStage<Caller> authenticate(IncomingRequest request) {
    return CompletableFuture.completedFuture(verify(request));
  }

  private Caller verify(IncomingRequest request) {
    String header = request.header(SigV4.AUTHORIZATION).orElse("");
    if (header.isBlank()) {
      throw new MissingAuthenticationTokenException("Request is missing Authentication Token");
    }
    SigV4Authorization authorization;
    try {
      authorization = SigV4Authorization.parse(header);
    } catch (SigV4Exception e) {
      if (e.reason().incomplete()) {
        throw new IncompleteSignatureException(e.getMessage());
      }
      throw new InvalidSignatureException(e.getMessage());
    }
    if (!SERVICE.equals(authorization.service())) {
      throw new InvalidSignatureException("Credential should be scoped to correct service: '" + SERVICE + "'.");
    }
    SigV4Verifier verifier = verifiers.get(authorization.region());
    if (verifier == null) {
      // AWS's words first, so that code matching them keeps working; then what a newcomer should do.
      throw new InvalidSignatureException(
          "Credential should be scoped to a valid region, not '" + authorization.region() + "'."
              + " (Meterbridge: this server serves " + regionsServed
              + ": set your client's region to " + (verifiers.size() == 1 ? "it" : "one of them")
              + ", or start the server with --region " + authorization.region()
              + "; a product's calls go to its own region.)");
    }
    AccessKey key = keys.find(authorization.accessKeyId()).orElseThrow(() ->
        new UnrecognizedClientException("The security token included in the request is invalid."
            + " (Meterbridge: access key id '" + authorization.accessKeyId() + "' is not known to this server;"
            + " real AWS keys do not work here. Use the demo keys (run 'meterbridge demo' to print them)"
            + " or keys from your seed file or the admin API.)"));
    SigV4Verification verdict = verifier.verify(signable(request), authorization, key.secretAccessKey(), clock.instant());
    if (verdict.isValid()) {
      return new Caller(key.accountId(), authorization.accessKeyId(), key.resource(), authorization.region());
    }
    // The verdict's canonical request is left out: it may hold a session token.
    if (verdict.outcome() == SigV4Verification.Outcome.MISSING_DATE) {
      throw new IncompleteSignatureException(verdict.message());
    }
    throw new InvalidSignatureException(verdict.message());
  }

  private static SignableRequest signable(IncomingRequest request) {
    RequestHeaders.Builder headers = RequestHeaders.builder();
    request.headers().forEach(headers::add);
    return SignableRequest.builder()
        .method(request.method())
        .target(request.uri())
        .headers(headers.build())
        .body(request.bodyArray()) // hashed by the model's per-thread digest
        .build();
  }

  @Override
  public String toString() {
    return "SigV4[" + SERVICE + ", regions " + verifiers.keySet() + "]";
  }

  /** Builds {@link SigV4Authenticator}s. Not thread-safe. */
  public static final class Builder {
    private List<String> regions = List.of();
    private AccessKeys keys;
    private Clock clock = Clock.systemUTC();
    private Duration maxClockSkew = Duration.ofMinutes(15);

    private Builder() {}

    /** The regions requests may be scoped to: the server's. Required. */
    public Builder regions(String... regions) {
      return regions(List.of(regions));
    }

    /** The regions requests may be scoped to: the server's. Required. */
    public Builder regions(List<String> regions) {
      this.regions = List.copyOf(regions);
      return this;
    }

    /** Where secrets come from. Required. */
    public Builder keys(AccessKeys keys) {
      this.keys = Objects.requireNonNull(keys, "keys");
      return this;
    }

    /** The clock {@code X-Amz-Date} is checked against; default the system's UTC clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** How far {@code X-Amz-Date} may be from the clock, either way; default 15 minutes, as at AWS. */
    public Builder maxClockSkew(Duration maxClockSkew) {
      this.maxClockSkew = Objects.requireNonNull(maxClockSkew, "maxClockSkew");
      return this;
    }

    /**
     * The authenticator.
     *
     * @throws IllegalArgumentException if no region or no keys are given
     */
    public SigV4Authenticator build() {
      if (regions.isEmpty()) {
        throw new IllegalArgumentException("regions must name at least one region, such as us-east-1");
      }
      if (keys == null) {
        throw new IllegalArgumentException("keys must be set: the lookup of access key ids");
      }
      return new SigV4Authenticator(this);
    }
  }
}
