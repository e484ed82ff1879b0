package io.meterbridge.server.admin;

import io.meterbridge.server.catalog.JsonInput;
import io.meterbridge.server.http.PlainRequest;
import io.meterbridge.server.http.PlainResponse;
import io.meterbridge.server.store.AuditEntry;
import io.meterbridge.server.store.AuditLog;
import io.meterbridge.server.store.AuditQuery;
import io.meterbridge.server.store.Page;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

/** The audit trail, newest first: {@code GET /admin/audit}. */
final class AuditEndpoints {
  private static final Set<String> QUERY =
      Set.of("from", "to", "operation", "account", "outcome", "requestId", "limit", "cursor");
  /** How long a listing waits for entries still on their way to the database. */
  private static final Duration CATCH_UP = Duration.ofSeconds(2);

  private final AuditLog log;

  AuditEndpoints(AuditLog log) {
    this.log = log;
  }

  PlainResponse list(PlainRequest request) {
    AuditQuery query = query(request);
    // The calls just answered are usually still queued; a reader expects to see them.
    log.flush(CATCH_UP);
    Page<AuditEntry> page = log.find(query);
    return JsonOut.response(200, json -> {
      json.writeStartObject();
      json.writeArrayFieldStart("entries");
      for (AuditEntry e : page.items()) {
        json.writeStartObject();
        JsonOut.instant(json, "time", e.at());
        json.writeStringField("requestId", e.requestId());
        json.writeStringField("operation", e.operation());
        nullable(json, "accountId", e.accountId());
        nullable(json, "accessKeyId", e.accessKeyId());
        nullable(json, "source", e.source());
        json.writeNumberField("status", e.status());
        json.writeStringField("outcome", e.success() ? "success" : "failure");
        nullable(json, "errorCode", e.errorCode());
        json.writeNumberField("records", e.records());
        json.writeNumberField("latencyMs", e.latencyMicros() / 1000.0);
        json.writeEndObject();
      }
      json.writeEndArray();
      if (page.cursor().isPresent()) {
        json.writeStringField("nextCursor", page.cursor().get());
      } else {
        json.writeNullField("nextCursor");
      }
      json.writeNumberField("queued", log.queued());
      json.writeNumberField("dropped", log.dropped() + log.failed());
      json.writeEndObject();
    });
  }

  private static void nullable(com.fasterxml.jackson.core.JsonGenerator json, String name, String value)
      throws java.io.IOException {
    if (value.isEmpty()) {
      json.writeNullField(name);
    } else {
      json.writeStringField(name, value);
    }
  }

  /** The query; every wrong parameter is reported at once. */
  private static AuditQuery query(PlainRequest request) {
    JsonInput.Problems problems = new JsonInput.Problems();
    for (String name : request.queryNames()) {
      if (!QUERY.contains(name)) {
        problems.add(name, "is not a known query parameter; expected some of " + new TreeSet<>(QUERY));
      }
    }
    AuditQuery.Builder q = AuditQuery.builder();
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
    String operation = QueryParameters.text(request, "operation", problems);
    if (operation != null) {
      q.operation(operation);
    }
    String account = QueryParameters.text(request, "account", problems);
    if (account != null) {
      q.accountId(account);
    }
    String outcome = QueryParameters.text(request, "outcome", problems);
    if (outcome != null) {
      if (outcome.equals("success") || outcome.equals("failure") || outcome.matches("[1-5][0-9][0-9]")
          || outcome.matches("[A-Za-z][A-Za-z0-9]{0,127}")) {
        q.outcome(outcome);
      } else {
        problems.add("outcome", "'" + outcome + "' is not success, failure, an HTTP status such as 429 or an error"
            + " code such as ThrottlingException");
      }
    }
    String requestId = QueryParameters.text(request, "requestId", problems);
    if (requestId != null) {
      q.requestId(requestId);
    }
    Integer limit = QueryParameters.limit(request, AuditQuery.MAX_LIMIT, problems);
    if (limit != null) {
      q.limit(limit);
    }
    String cursor = QueryParameters.text(request, "cursor", problems);
    if (cursor != null) {
      if (!cursor.matches("[1-9][0-9]{0,17}")) {
        problems.add("cursor", "'" + cursor + "' is not a cursor this API handed out: pass nextCursor as it was");
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


}
