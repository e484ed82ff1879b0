package io.meterbridge.model;

import io.meterbridge.exception.InvalidRequestException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The constraints of the service model (service-2.json, 2026-07), checked with member paths so a
 * violation reads {@code usageRecords[3].quantity: -1 is below the minimum 0}. Patterns are the
 * model's, unanchored as Smithy requires (most carry their own anchors).
 */
final class Constraints {
  static final Pattern PRODUCT_CODE = Pattern.compile("^[-a-zA-Z0-9/=:_.@]*$");
  static final Pattern CUSTOMER_AWS_ACCOUNT_ID = Pattern.compile("^[0-9]+$");
  static final Pattern LICENSE_ARN = Pattern.compile(
      "^arn:aws[a-zA-Z-]*:[A-Za-z0-9][A-Za-z0-9_/.-]{0,62}:[A-Za-z0-9_/.-]{0,63}:"
          + "[A-Za-z0-9_/.-]{0,63}:[A-Za-z0-9][A-Za-z0-9:_/+=,@.-]{0,1023}$");
  // " -=" is a range from space to '=', exactly as the model writes it.
  static final Pattern TAG = Pattern.compile("^[a-zA-Z0-9+ -=._:\\/@]+$");
  static final int MAX_QUANTITY = Integer.MAX_VALUE;
  static final int MAX_RECORDS = 25;
  static final int MAX_ALLOCATIONS = 2500;
  static final int MAX_TAGS = 5;

  private final List<String> violations = new ArrayList<>();

  /** Throws if any constraint was broken. */
  void throwIfAny() {
    if (!violations.isEmpty()) {
      throw new InvalidRequestException(violations);
    }
  }

  void fail(String path, String message) {
    violations.add(path + ": " + message);
  }

  void length(String path, String value, int min, int max) {
    int length = value.codePointCount(0, value.length());
    if (length < min) {
      fail(path, quote(value) + " is shorter than the minimum length " + min);
    } else if (length > max) {
      fail(path, "length " + length + " is above the maximum length " + max);
    }
  }

  void pattern(String path, String value, Pattern pattern) {
    if (!pattern.matcher(value).find()) {
      fail(path, quote(value) + " does not match the pattern " + pattern.pattern());
    }
  }

  void range(String path, long value, long min, long max) {
    if (value < min) {
      fail(path, value + " is below the minimum " + min);
    } else if (value > max) {
      fail(path, value + " is above the maximum " + max);
    }
  }

  void size(String path, List<?> list, int min, int max) {
    if (list.size() < min) {
      fail(path, list.size() + " items is below the minimum " + min);
    } else if (list.size() > max) {
      fail(path, list.size() + " items is above the maximum " + max);
    }
  }

  void productCode(String path, String value) {
    length(path, value, 0, 255);
    pattern(path, value, PRODUCT_CODE);
  }

  void dimension(String path, String value) {
    length(path, value, 1, 255);
  }

  void allocations(String path, List<UsageAllocation> allocations) {
    if (allocations.isEmpty()) {
      return; // absent
    }
    size(path, allocations, 1, MAX_ALLOCATIONS);
    for (int i = 0; i < allocations.size(); i++) {
      UsageAllocation allocation = allocations.get(i);
      String at = path + "[" + i + "]";
      range(at + ".allocatedUsageQuantity", allocation.allocatedUsageQuantity(), 0, MAX_QUANTITY);
      if (!allocation.tags().isEmpty()) {
        size(at + ".tags", allocation.tags(), 1, MAX_TAGS);
        for (int t = 0; t < allocation.tags().size(); t++) {
          Tag tag = allocation.tags().get(t);
          String tagAt = at + ".tags[" + t + "]";
          length(tagAt + ".key", tag.key(), 1, 100);
          pattern(tagAt + ".key", tag.key(), TAG);
          length(tagAt + ".value", tag.value(), 1, 256);
          pattern(tagAt + ".value", tag.value(), TAG);
        }
      }
    }
  }

  void usageRecord(String path, UsageRecord record) {
    dimension(path + ".dimension", record.dimension());
    range(path + ".quantity", record.quantity(), 0, MAX_QUANTITY);
    record.customerIdentifier().ifPresent(id -> length(path + ".customerIdentifier", id, 0, 255));
    record.customerAwsAccountId().ifPresent(id -> {
      length(path + ".customerAwsAccountId", id, 1, 255);
      pattern(path + ".customerAwsAccountId", id, CUSTOMER_AWS_ACCOUNT_ID);
    });
    record.licenseArn().ifPresent(arn -> pattern(path + ".licenseArn", arn, LICENSE_ARN));
    allocations(path + ".usageAllocations", record.usageAllocations());
    // Documented since 2025-03: "mutually exclusive parameters. You must use one or the other".
    if (record.customerIdentifier().isPresent() && record.customerAwsAccountId().isPresent()) {
      fail(path, "customerIdentifier and customerAwsAccountId are mutually exclusive; set only one");
    } else if (record.customerIdentifier().isEmpty() && record.customerAwsAccountId().isEmpty()) {
      fail(path, "one of customerAwsAccountId or customerIdentifier is required");
    }
  }

  void optional(String path, Optional<String> value, int min, int max) {
    value.ifPresent(v -> length(path, v, min, max));
  }

  private static String quote(String value) {
    String shown = value.length() > 64 ? value.substring(0, 61) + "..." : value;
    return "'" + shown + "'";
  }
}
