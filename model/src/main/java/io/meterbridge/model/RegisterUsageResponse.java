package io.meterbridge.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer to RegisterUsage: a JWT (PS256) over the product code, public key version, nonce and
 * issue time, and, when the asked key version has expired, when it was rotated.
 *
 * <pre>{@code
 * String jwt = client.registerUsage(request).signature().orElseThrow();
 * }</pre>
 *
 * @param publicKeyRotationTimestamp set only when the public key version has expired
 * @param signature the signed token
 */
public record RegisterUsageResponse(Optional<Instant> publicKeyRotationTimestamp, Optional<String> signature) {
  /** Checks the components. */
  public RegisterUsageResponse {
    publicKeyRotationTimestamp = Objects.requireNonNullElse(publicKeyRotationTimestamp, Optional.empty());
    signature = Objects.requireNonNullElse(signature, Optional.empty());
  }
}
