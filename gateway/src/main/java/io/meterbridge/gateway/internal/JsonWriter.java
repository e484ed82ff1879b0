package io.meterbridge.gateway.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import io.meterbridge.gateway.Allocation;
import io.meterbridge.gateway.CatalogProduct;
import io.meterbridge.gateway.EventTrace;
import io.meterbridge.gateway.GatewayStatus;
import io.meterbridge.gateway.IngestResult;
import io.meterbridge.gateway.LedgerRecord;
import io.meterbridge.gateway.RecordPage;
import io.meterbridge.gateway.RecordState;
import io.meterbridge.model.Tag;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** The gateway's answers as JSON (jackson-core's generator, no databind). */
final class JsonWriter {
  private JsonWriter() {}

  interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  static byte[] write(Body body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = Json.FACTORY.createGenerator(out)) {
      body.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // not from a byte array
    }
    return out.toByteArray();
  }

  static byte[] results(List<IngestResult> results) {
    return write(g -> {
      g.writeStartObject();
      g.writeArrayFieldStart("results");
      for (IngestResult r : results) {
        g.writeStartObject();
        if (r.id().isEmpty()) {
          g.writeNullField("id");
        } else {
          g.writeStringField("id", r.id());
        }
        g.writeStringField("status", r.status().wireName());
        if (r.reason().isPresent()) {
          g.writeStringField("reason", r.reason().get());
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    });
  }

  static byte[] page(RecordPage page) {
    return write(g -> {
      g.writeStartObject();
      g.writeArrayFieldStart("records");
      for (LedgerRecord r : page.records()) {
        record(g, r);
      }
      g.writeEndArray();
      if (page.nextCursor().isPresent()) {
        g.writeStringField("nextCursor", Long.toString(page.nextCursor().getAsLong()));
      }
      g.writeEndObject();
    });
  }

  static byte[] trace(EventTrace t) {
    return write(g -> {
      g.writeStartObject();
      g.writeStringField("id", t.id());
      g.writeStringField("productCode", t.productCode());
      g.writeStringField("timestamp", t.timestamp().toString());
      g.writeNumberField("quantity", t.quantity());
      g.writeStringField("receivedAt", t.receivedAt().toString());
      g.writeStringField("usageHour", t.usageHour().toString());
      g.writeBooleanField("carried", t.carried());
      g.writeStringField("state", t.record().state().wireName());
      g.writeFieldName("record");
      record(g, t.record());
      g.writeEndObject();
    });
  }

  static void record(JsonGenerator g, LedgerRecord r) throws IOException {
    g.writeStartObject();
    g.writeNumberField("id", r.id());
    g.writeStringField("productCode", r.productCode());
    if (r.customerAwsAccountId().isPresent()) {
      g.writeStringField("customerAWSAccountId", r.customerAwsAccountId().get());
    } else {
      g.writeStringField("customerIdentifier", r.customerIdentifier().orElseThrow());
    }
    if (r.licenseArn().isPresent()) {
      g.writeStringField("licenseArn", r.licenseArn().get());
    }
    g.writeStringField("dimension", r.dimension());
    g.writeStringField("hour", r.hour().toString());
    g.writeNumberField("quantity", r.quantity());
    g.writeNumberField("events", r.events());
    g.writeNumberField("carriedIn", r.carriedIn());
    g.writeNumberField("carriedOut", r.carriedOut());
    if (!r.allocations().isEmpty()) {
      g.writeArrayFieldStart("allocations");
      for (Allocation a : r.allocations()) {
        g.writeStartObject();
        g.writeNumberField("allocatedUsageQuantity", a.quantity());
        if (!a.tags().isEmpty()) {
          g.writeArrayFieldStart("tags");
          for (Tag t : a.tags()) {
            g.writeStartObject();
            g.writeStringField("key", t.key());
            g.writeStringField("value", t.value());
            g.writeEndObject();
          }
          g.writeEndArray();
        }
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    g.writeStringField("state", r.state().wireName());
    g.writeStringField("deadline", r.deadline().toString());
    if (r.meteringRecordId().isPresent()) {
      g.writeStringField("meteringRecordId", r.meteringRecordId().get());
    }
    g.writeNumberField("attempts", r.attempts());
    if (r.lastError().isPresent()) {
      g.writeStringField("lastError", r.lastError().get());
    }
    if (r.sentAt().isPresent()) {
      g.writeStringField("sentAt", r.sentAt().get().toString());
    }
    g.writeEndObject();
  }

  static byte[] status(GatewayStatus s) {
    return write(g -> {
      g.writeStartObject();
      g.writeStringField("time", s.time().toString());
      g.writeObjectFieldStart("counts");
      for (RecordState state : RecordState.values()) {
        g.writeNumberField(state.wireName(), s.count(state));
      }
      g.writeEndObject();
      if (s.oldestOpenDeadline().isPresent()) {
        g.writeStringField("oldestOpenDeadline", s.oldestOpenDeadline().get().toString());
      } else {
        g.writeNullField("oldestOpenDeadline");
      }
      g.writeNumberField("alerts", s.alerts());
      g.writeObjectFieldStart("quota");
      g.writeNumberField("callsPerSecond", s.quotaPerSecond());
      g.writeNumberField("inUse", s.quotaInUse());
      g.writeEndObject();
      g.writeEndObject();
    });
  }

  static byte[] products(List<CatalogProduct> products) {
    return write(g -> {
      g.writeStartObject();
      g.writeArrayFieldStart("products");
      for (CatalogProduct p : products) {
        product(g, p);
      }
      g.writeEndArray();
      g.writeEndObject();
    });
  }

  static void product(JsonGenerator g, CatalogProduct p) throws IOException {
    g.writeStartObject();
    g.writeStringField("productCode", p.productCode());
    g.writeStringField("type", p.type());
    g.writeArrayFieldStart("dimensions");
    for (String d : p.dimensions()) {
      g.writeString(d);
    }
    g.writeEndArray();
    g.writeEndObject();
  }
}
