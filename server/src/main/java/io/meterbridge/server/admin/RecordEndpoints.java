package io.meterbridge.server.admin;

import com.fasterxml.jackson.core.JsonGenerator;
import io.meterbridge.model.Tag;
import io.meterbridge.model.UsageAllocation;
import io.meterbridge.server.ServerClock;
import io.meterbridge.server.http.PlainRequest;
import io.meterbridge.server.http.PlainResponse;
import io.meterbridge.server.metering.Allocations;
import io.meterbridge.server.store.BatchRow;
import io.meterbridge.server.store.MeterRow;
import io.meterbridge.server.store.Page;
import io.meterbridge.server.store.RecordQuery;
import io.meterbridge.server.store.Store;
import io.meterbridge.server.metering.TaskUsage;
import io.meterbridge.server.store.StoreCounts;
import io.meterbridge.server.store.TaskRecord;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Stored records, counts, and the server clock. */
final class RecordEndpoints {
  private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);
  private static final Set<String> QUERY = Set.of("productCode", "from", "to", "limit", "cursor");
  /** How far {@code POST /admin/clock} may move the clock from real time: about ten years. */
  private static final long MAX_SHIFT_SECONDS = 10L * 366 * 24 * 3600;

  private final Store store;
  private final ServerClock clock;

  RecordEndpoints(Store store, ServerClock clock) {
    this.store = store;
    this.clock = clock;
  }

  // ---------------------------------------------------------------------------------- clock

  PlainResponse clock() {
    return JsonOut.response(200, json -> {
      Instant now = clock.instant();
      Duration offset = clock.offset();
      json.writeStartObject();
      JsonOut.instant(json, "now", now);
      json.writeStringField("offset", offset.toString());
      json.writeNumberField("offsetSeconds", offset.toMillis() / 1000.0);
      json.writeEndObject();
    });
  }

  PlainResponse moveClock(PlainRequest request) {
    JsonBody body = JsonBody.parse(request.body()).only("shiftSeconds", "set", "reset");
    Set<String> given = body.present();
    if (given.size() != 1) {
      throw AdminException.invalid("Give exactly one of shiftSeconds, set, reset; got " + (given.isEmpty() ? "none" : given));
    }
    if (body.has("shiftSeconds")) {
      long seconds = body.optionalLong("shiftSeconds", -MAX_SHIFT_SECONDS, MAX_SHIFT_SECONDS).orElseThrow();
      if (Math.abs(clock.offset().getSeconds() + seconds) > MAX_SHIFT_SECONDS) {
        throw AdminException.invalid("shiftSeconds", "would move the clock more than " + MAX_SHIFT_SECONDS
            + " seconds from real time");
      }
      clock.shift(Duration.ofSeconds(seconds));
    } else if (body.has("set")) {
      Instant at = body.optionalInstant("set").orElseThrow();
      if (Math.abs(Duration.between(Instant.now(), at).getSeconds()) > MAX_SHIFT_SECONDS) {
        throw AdminException.invalid("set", at + " is more than " + MAX_SHIFT_SECONDS + " seconds from real time");
      }
      clock.set(at);
    } else {
      if (!body.bool("reset", false)) {
        throw AdminException.invalid("reset", "must be true (or leave it out)");
      }
      clock.reset();
    }
    LOG.info("Admin: server clock now {} (offset {})", clock.instant(), clock.offset());
    return clock();
  }

  // -------------------------------------------------------------------------------- records

  PlainResponse batchRecords(PlainRequest request) {
    Page<BatchRow> page = store.batchRecords(query(request));
    return JsonOut.response(200, json -> {
      json.writeStartObject();
      json.writeArrayFieldStart("records");
      for (BatchRow r : page.items()) {
        json.writeStartObject();
        json.writeStringField("meteringRecordId", r.meteringRecordId());
        json.writeStringField("productCode", r.productCode());
        json.writeStringField("customer", r.customerAccountId());
        json.writeStringField("dimension", r.dimension());
        json.writeNumberField("quantity", r.quantity());
        JsonOut.instant(json, "timestamp", r.timestamp());
        JsonOut.instant(json, "hour", r.hour());
        allocations(json, r.allocations());
        JsonOut.text(json, "licenseArn", r.licenseArn());
        json.writeStringField("callerAccountId", r.callerAccountId());
        JsonOut.instant(json, "receivedAt", r.receivedAt());
        json.writeEndObject();
      }
      json.writeEndArray();
      JsonOut.text(json, "nextCursor", page.cursor());
      json.writeEndObject();
    });
  }

  PlainResponse meterRecords(PlainRequest request) {
    Page<MeterRow> page = store.meterRecords(query(request));
    return JsonOut.response(200, json -> {
      json.writeStartObject();
      json.writeArrayFieldStart("records");
      for (MeterRow r : page.items()) {
        json.writeStartObject();
        json.writeStringField("meteringRecordId", r.meteringRecordId());
        json.writeStringField("productCode", r.productCode());
        json.writeStringField("callerIdentity", r.callerIdentity());
        json.writeStringField("callerAccountId", r.callerAccountId());
        json.writeStringField("dimension", r.dimension());
        json.writeNumberField("quantity", r.quantity());
        JsonOut.instant(json, "timestamp", r.timestamp());
        JsonOut.instant(json, "hour", r.hour());
        allocations(json, r.allocations());
        JsonOut.text(json, "clientToken", r.clientToken());
        JsonOut.instant(json, "receivedAt", r.receivedAt());
        json.writeEndObject();
      }
      json.writeEndArray();
      JsonOut.text(json, "nextCursor", page.cursor());
      json.writeEndObject();
    });
  }

  private static RecordQuery query(PlainRequest request) {
    for (String name : request.queryNames()) {
      if (!QUERY.contains(name)) {
        throw AdminException.invalid(name, "is not a known query parameter; expected some of " + new TreeSet<>(QUERY));
      }
    }
    RecordQuery.Builder q = RecordQuery.builder();
    Optional<String> productCode = nonEmpty(request, "productCode");
    productCode.ifPresent(code -> q.productCode(CatalogEndpoints.productCode(code, "productCode")));
    Optional<Instant> from = nonEmpty(request, "from").map(t -> JsonBody.instant("from", t));
    Optional<Instant> to = nonEmpty(request, "to").map(t -> JsonBody.instant("to", t));
    from.ifPresent(q::from);
    to.ifPresent(q::to);
    if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
      throw AdminException.invalid("from", from.get() + " must be before to (" + to.get() + ")");
    }
    nonEmpty(request, "limit").ifPresent(text -> {
      int limit;
      try {
        limit = Integer.parseInt(text);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > RecordQuery.MAX_LIMIT) {
        throw AdminException.invalid("limit", "'" + text + "' is not a number from 1 to " + RecordQuery.MAX_LIMIT);
      }
      q.limit(limit);
    });
    nonEmpty(request, "cursor").ifPresent(cursor -> {
      if (!cursor.chars().allMatch(Character::isDigit) || cursor.length() > 18) {
        throw AdminException.invalid("cursor", "'" + cursor + "' is not a cursor this API handed out (nextCursor)");
      }
      q.after(cursor);
    });
    try {
      return q.build();
    } catch (IllegalArgumentException e) {
      throw AdminException.invalid(e.getMessage());
    }
  }

  private static Optional<String> nonEmpty(PlainRequest request, String name) {
    Optional<String> value = request.query(name);
    if (value.isPresent() && value.get().isBlank()) {
      throw AdminException.invalid(name, "must not be empty");
    }
    return value;
  }

  private static void allocations(JsonGenerator json, String canonical) throws IOException {
    List<UsageAllocation> allocations;
    try {
      allocations = Allocations.parse(canonical);
    } catch (IllegalArgumentException e) {
      json.writeStringField("allocations", canonical); // written by another version: show it as stored
      return;
    }
    json.writeArrayFieldStart("allocations");
    for (UsageAllocation a : allocations) {
      json.writeStartObject();
      json.writeNumberField("allocatedUsageQuantity", a.allocatedUsageQuantity());
      json.writeArrayFieldStart("tags");
      for (Tag tag : a.tags()) {
        json.writeStartObject();
        json.writeStringField("key", tag.key());
        json.writeStringField("value", tag.value());
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    }
    json.writeEndArray();
  }

  // ---------------------------------------------------------------------------------- tasks

  /** RegisterUsage tasks of a product, each with its hourly usage (see {@link TaskUsage}). */
  PlainResponse tasks(PlainRequest request) {
    String productCode = request.query("productCode").orElseThrow(
        () -> AdminException.invalid("productCode", "is required (the container product whose tasks to list)"));
    List<TaskRecord> tasks = store.tasks(productCode);
    return JsonOut.response(200, json -> {
      json.writeStartObject();
      json.writeArrayFieldStart("tasks");
      for (TaskRecord task : tasks) {
        json.writeStartObject();
        json.writeStringField("callerIdentity", task.callerIdentity());
        json.writeStringField("customerAWSAccountId", task.callerAccountId());
        JsonOut.instant(json, "firstSeen", task.firstSeen());
        JsonOut.instant(json, "lastSeen", task.lastSeen());
        json.writeNumberField("calls", task.calls());
        json.writeArrayFieldStart("hourlyUsage");
        for (TaskUsage.Hour hour : TaskUsage.hourly(task.firstSeen(), task.lastSeen())) {
          json.writeStartObject();
          JsonOut.instant(json, "hour", hour.hour());
          json.writeNumberField("seconds", hour.seconds());
          json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    });
  }

  // ---------------------------------------------------------------------------------- stats

  PlainResponse stats() {
    StoreCounts counts = store.counts();
    return JsonOut.response(200, json -> {
      json.writeStartObject();
      json.writeNumberField("accounts", counts.accounts());
      json.writeNumberField("products", counts.products());
      json.writeNumberField("subscriptions", counts.subscriptions());
      json.writeNumberField("batchRecords", counts.batchRecords());
      json.writeNumberField("meterRecords", counts.meterRecords());
      json.writeNumberField("tasks", counts.tasks());
      JsonOut.instant(json, "serverTime", clock.instant());
      json.writeEndObject();
    });
  }
}
