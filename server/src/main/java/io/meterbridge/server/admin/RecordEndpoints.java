package io.meterbridge.server.admin;

import com.fasterxml.jackson.core.JsonGenerator;
import io.meterbridge.model.Tag;
import io.meterbridge.model.UsageAllocation;
import io.meterbridge.server.ServerClock;
import io.meterbridge.server.catalog.CatalogRules;
import io.meterbridge.server.catalog.JsonInput;
import io.meterbridge.server.http.PlainRequest;
import io.meterbridge.server.http.PlainResponse;
import io.meterbridge.server.metering.Allocations;
import io.meterbridge.server.metering.TaskUsage;
import io.meterbridge.server.store.BatchRow;
import io.meterbridge.server.store.MeterRow;
import io.meterbridge.server.store.Page;
import io.meterbridge.server.store.RecordQuery;
import io.meterbridge.server.store.Store;
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
    Body<AdminBodies.Clock> body = Body.read(request, AdminBodies.Clock.class);
    AdminBodies.Clock in = body.value();
    Set<String> given = new TreeSet<>();
    given(body, given, "shiftSeconds", in.shiftSeconds());
    given(body, given, "set", in.set());
    given(body, given, "reset", in.reset());
    if (given.size() != 1) {
      body.problem("", "Give exactly one of shiftSeconds, set, reset; got " + (given.isEmpty() ? "none" : given));
    } else if (in.shiftSeconds() != null) {
      long seconds = in.shiftSeconds();
      if (Math.abs(seconds) > MAX_SHIFT_SECONDS) {
        body.problem("shiftSeconds", seconds + " is not between " + -MAX_SHIFT_SECONDS + " and " + MAX_SHIFT_SECONDS);
      } else if (Math.abs(clock.offset().getSeconds() + seconds) > MAX_SHIFT_SECONDS) {
        body.problem("shiftSeconds", "would move the clock more than " + MAX_SHIFT_SECONDS + " seconds from real time");
      }
    } else if (in.set() != null) {
      if (Math.abs(Duration.between(Instant.now(), in.set()).getSeconds()) > MAX_SHIFT_SECONDS) {
        body.problem("set", in.set() + " is more than " + MAX_SHIFT_SECONDS + " seconds from real time");
      }
    } else if (in.reset() != null && !in.reset()) {
      body.problem("reset", "must be true (or leave it out)");
    }
    body.valid();
    if (in.shiftSeconds() != null) {
      clock.shift(Duration.ofSeconds(in.shiftSeconds()));
    } else if (in.set() != null) {
      clock.set(in.set());
    } else {
      clock.reset();
    }
    LOG.info("Admin: server clock now {} (offset {})", clock.instant(), clock.offset());
    return clock();
  }

  /** Notes {@code field} as given: present, or there but wrong (then already a problem). */
  private static void given(Body<?> body, Set<String> given, String field, Object value) {
    if (value != null || body.problems().reported(field)) {
      given.add(field);
    }
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

  /** The query of a records listing; every wrong parameter is reported at once. */
  private static RecordQuery query(PlainRequest request) {
    JsonInput.Problems problems = new JsonInput.Problems();
    for (String name : request.queryNames()) {
      if (!QUERY.contains(name)) {
        problems.add(name, "is not a known query parameter; expected some of " + new TreeSet<>(QUERY));
      }
    }
    RecordQuery.Builder q = RecordQuery.builder();
    String productCode = QueryParameters.text(request, "productCode", problems);
    if (productCode != null && !CatalogRules.isProductCode(productCode)) {
      problems.add("productCode", "'" + productCode + "' is not " + CatalogEndpoints.PRODUCT_CODE);
    } else if (productCode != null) {
      q.productCode(productCode);
    }
    Instant from = QueryParameters.instant(request, "from", problems);
    Instant to = QueryParameters.instant(request, "to", problems);
    if (from != null) {
      q.from(from);
    }
    if (to != null) {
      q.to(to);
    }
    if (from != null && to != null && !from.isBefore(to)) {
      problems.add("from", from + " must be before to (" + to + ")");
    }
    Integer limit = QueryParameters.limit(request, RecordQuery.MAX_LIMIT, problems);
    if (limit != null) {
      q.limit(limit);
    }
    String cursor = QueryParameters.text(request, "cursor", problems);
    if (cursor != null) {
      // Digits (a seq), or "r" and digits (a batch record's place since schema V7).
      String number = cursor.startsWith("r") ? cursor.substring(1) : cursor;
      if (number.isEmpty() || !number.chars().allMatch(Character::isDigit) || number.length() > 18) {
        problems.add("cursor", "'" + cursor + "' is not a cursor this API handed out (nextCursor)");
      } else {
        q.after(cursor);
      }
    }
    if (!problems.isEmpty()) {
      throw AdminException.invalid(problems.list().stream().map(JsonInput.Problem::toString).toList());
    }
    try {
      return q.build();
    } catch (IllegalArgumentException e) {
      throw AdminException.invalid(e.getMessage());
    }
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
