package io.meterbridge.server.admin;

import com.fasterxml.jackson.core.JsonGenerator;
import io.meterbridge.server.faults.FaultPlan;
import io.meterbridge.server.faults.FaultPlanException;
import io.meterbridge.server.faults.Faults;
import io.meterbridge.server.http.PlainRequest;
import io.meterbridge.server.http.PlainResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code /admin/faults}: the faults the server injects, set, listed with how often each fired, cleared. */
final class FaultEndpoints {
  private static final Logger LOG = LoggerFactory.getLogger(FaultEndpoints.class);

  private final Faults faults;

  FaultEndpoints(Faults faults) {
    this.faults = faults;
  }

  /** {@code GET}: the rules, how often each fired, and the seed. */
  PlainResponse list() {
    return JsonOut.response(200, this::write);
  }

  /** {@code POST}: replaces the rules (their counts start again). */
  PlainResponse set(PlainRequest request) {
    FaultPlan plan;
    try {
      plan = FaultPlan.parse(request.body());
    } catch (FaultPlanException e) {
      throw AdminException.invalid(e.problems());
    }
    faults.apply(plan);
    LOG.warn("Admin: fault injection on, {} rule(s), seed {}", plan.rules().size(), plan.seed());
    return list();
  }

  /** {@code DELETE}: no faults any more. */
  PlainResponse clear() {
    faults.clear();
    LOG.info("Admin: fault injection off");
    return list();
  }

  private void write(JsonGenerator json) throws IOException {
    json.writeStartObject();
    json.writeArrayFieldStart("rules");
    for (Faults.Status s : faults.status()) {
      json.writeStartObject();
      json.writeStringField("operation", s.rule().operationName());
      json.writeStringField("kind", s.rule().kind().wireName());
      if (s.rule().probability().isPresent()) {
        json.writeNumberField("probability", s.rule().probability().getAsDouble());
      } else {
        json.writeNumberField("count", s.rule().count().getAsInt());
      }
      if (!s.rule().delay().isZero()) {
        json.writeNumberField("delayMs", s.rule().delay().toMillis());
      }
      json.writeNumberField("fired", s.fired());
      if (s.remaining().isPresent()) {
        json.writeNumberField("remaining", s.remaining().getAsInt());
      }
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeNumberField("seed", faults.plan().seed());
    json.writeEndObject();
  }
}
