package io.meterbridge.gateway;

import java.util.Objects;
import java.util.Optional;

/**
 * The gateway's answer for one event, in the order the events were given.
 *
 * @param id the event's id as given; empty when the event had none
 * @param status what happened to it
 * @param reason why it was not accepted (naming the field), or what it duplicates
 */
public record IngestResult(String id, IngestStatus status, Optional<String> reason) {
  public IngestResult {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(status, "status");
    reason = Objects.requireNonNullElse(reason, Optional.empty());
  }

  public static IngestResult accepted(String id) {
    return new IngestResult(id, IngestStatus.ACCEPTED, Optional.empty());
  }

  public static IngestResult of(String id, IngestStatus status, String reason) {
    return new IngestResult(id, status, Optional.of(reason));
  }
}
