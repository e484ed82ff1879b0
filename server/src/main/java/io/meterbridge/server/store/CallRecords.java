package io.meterbridge.server.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code records} column of {@code batch_call}: the stored records of one call as a JSON array,
 * one object a record with short names (schema V7 lists them). JSON rather than a binary format
 * so that the migration from V6 builds it in SQL on both databases and a person can read it in a
 * database shell. Written by hand on the writer thread (a call's worth of fields, no tree); read
 * with Jackson's streaming parser, off the write path.
 */
final class CallRecords {
  private static final JsonFactory JSON = new JsonFactory();

  private CallRecords() {}

  /**
   * One stored record of a call.
   *
   * @param slot its place in the call row, the low part of its {@code batch_record.ref}
   * @param licenseId the license's {@code key_name} id, 0 for none
   */
  record Entry(int slot, String id, int customerId, int dimensionId, long usageMillis, int quantity,
      String allocations, String fingerprint, int licenseId) {}

  static String encode(List<Entry> entries) {
    StringBuilder b = new StringBuilder(entries.size() * 160);
    b.append('[');
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      b.append(i == 0 ? "{\"s\":" : ",{\"s\":").append(e.slot());
      b.append(",\"id\":");
      string(b, e.id());
      b.append(",\"c\":").append(e.customerId());
      b.append(",\"d\":").append(e.dimensionId());
      b.append(",\"t\":").append(e.usageMillis());
      b.append(",\"q\":").append(e.quantity());
      b.append(",\"a\":");
      string(b, e.allocations());
      b.append(",\"f\":");
      string(b, e.fingerprint());
      b.append(",\"l\":");
      if (e.licenseId() == 0) {
        b.append("null");
      } else {
        b.append(e.licenseId());
      }
      b.append('}');
    }
    return b.append(']').toString();
  }

  private static void string(StringBuilder b, String s) {
    b.append('"');
    int plain = 0;
    while (plain < s.length() && needsNoEscape(s.charAt(plain))) {
      plain++;
    }
    if (plain == s.length()) {
      // Ids, fingerprints and most allocations: copied whole rather than a char at a time.
      b.append(s).append('"');
      return;
    }
    b.append(s, 0, plain);
    for (int i = plain; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch == '"' || ch == '\\') {
        b.append('\\').append(ch);
      } else if (ch < 0x20) {
        b.append(String.format("\\u%04x", (int) ch));
      } else {
        b.append(ch);
      }
    }
    b.append('"');
  }

  private static boolean needsNoEscape(char ch) {
    return ch >= 0x20 && ch != '"' && ch != '\\';
  }

  static List<Entry> decode(String json) {
    List<Entry> entries = new ArrayList<>();
    try (JsonParser p = JSON.createParser(json)) {
      expect(p.nextToken(), JsonToken.START_ARRAY, json);
      while (p.nextToken() == JsonToken.START_OBJECT) {
        int slot = -1;
        int customer = 0;
        int dimension = 0;
        int quantity = 0;
        int license = 0;
        long usage = 0;
        String id = null;
        String allocations = "";
        String fingerprint = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          JsonToken value = p.nextToken();
          switch (name) {
            case "s" -> slot = p.getIntValue();
            case "id" -> id = value == JsonToken.VALUE_NULL ? null : p.getText();
            case "c" -> customer = p.getIntValue();
            case "d" -> dimension = p.getIntValue();
            case "t" -> usage = p.getLongValue();
            case "q" -> quantity = p.getIntValue();
            case "a" -> allocations = value == JsonToken.VALUE_NULL ? "" : p.getText();
            case "f" -> fingerprint = value == JsonToken.VALUE_NULL ? null : p.getText();
            case "l" -> license = value == JsonToken.VALUE_NULL ? 0 : p.getIntValue();
            default -> p.skipChildren(); // written by a later version: not ours to read
          }
        }
        if (slot < 0 || id == null || fingerprint == null) {
          throw new StoreException("a batch_call record lacks its slot, id or fingerprint: " + json);
        }
        entries.add(new Entry(slot, id, customer, dimension, usage, quantity, allocations, fingerprint, license));
      }
    } catch (IOException e) {
      throw new StoreException("a batch_call row holds records that are not the JSON this store writes: " + json, e);
    }
    return entries;
  }

  private static void expect(JsonToken actual, JsonToken expected, String json) {
    if (actual != expected) {
      throw new StoreException("a batch_call row's records are not a JSON array: " + json);
    }
  }
}
