package io.meterbridge.model;

import io.meterbridge.exception.InvalidRequestException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The constraints of the service model (service-2.json, 2026-07), checked with member paths so a
 * violation reads {@code usageRecords[3].quantity: -1 is below the minimum 0}.
 *
 * <p>Every request runs through here, on the client before sending and on the server after
 * decoding, so the passing path allocates next to nothing: the current member path lives in one
 * reused buffer and becomes a string only when a check fails, and the simple character classes
 * are checked by loops rather than regular expressions. The loops follow ECMA-262 semantics as
 * Smithy requires ({@code $} is the end of input; Java's {@code $} would also accept a trailing
 * newline).
 */
final class Constraints {
  static final String PRODUCT_CODE = "^[-a-zA-Z0-9/=:_.@]*$";
  static final String CUSTOMER_AWS_ACCOUNT_ID = "^[0-9]+$";
  static final String TAG = "^[a-zA-Z0-9+ -=._:\\/@]+$";
  static final Pattern LICENSE_ARN = Pattern.compile(
      "^arn:aws[a-zA-Z-]*:[A-Za-z0-9][A-Za-z0-9_/.-]{0,62}:[A-Za-z0-9_/.-]{0,63}:"
          + "[A-Za-z0-9_/.-]{0,63}:[A-Za-z0-9][A-Za-z0-9:_/+=,@.-]{0,1023}\\z");
  static final int MAX_QUANTITY = Integer.MAX_VALUE;
  static final int MAX_RECORDS = 25;
  static final int MAX_ALLOCATIONS = 2500;
  static final int MAX_TAGS = 5;

  // The current member path as a stack of (member, index): turned into text only when a check
  // fails, so the passing path appends nothing.
  private String[] members = new String[4];
  private int[] indexes = new int[4];
  private int depth;
  private List<String> violations;

  /** Throws if any constraint was broken. */
  void throwIfAny() {
    if (violations != null) {
      throw new InvalidRequestException(violations);
    }
  }

  /** Records a violation of {@code member} under the current position. */
  void fail(String member, String message) {
    if (violations == null) {
      violations = new ArrayList<>(2);
    }
    StringBuilder path = new StringBuilder(48);
    for (int i = 0; i < depth; i++) {
      if (i > 0) {
        path.append('.');
      }
      path.append(members[i]).append('[').append(indexes[i]).append(']');
    }
    if (!member.isEmpty()) {
      if (path.length() > 0) {
        path.append('.');
      }
      path.append(member);
    }
    violations.add(path + ": " + message);
  }

  private int enter(String member, int index) {
    if (depth == members.length) {
      members = Arrays.copyOf(members, depth * 2);
      indexes = Arrays.copyOf(indexes, depth * 2);
    }
    members[depth] = member;
    indexes[depth] = index;
    return depth++;
  }

  private void leave(int mark) {
    depth = mark;
  }

  void length(String member, String value, int min, int max) {
    int chars = value.length();
    // Code points never outnumber chars: count them only when surrogates could matter.
    if (chars >= min && chars <= max && (chars >= 2 * min || value.codePointCount(0, chars) >= min)) {
      return;
    }
    int length = value.codePointCount(0, chars);
    if (length < min) {
      fail(member, quote(value) + " is shorter than the minimum length " + min);
    } else if (length > max) {
      fail(member, "length " + length + " is above the maximum length " + max);
    }
  }

  void range(String member, long value, long min, long max) {
    if (value < min) {
      fail(member, value + " is below the minimum " + min);
    } else if (value > max) {
      fail(member, value + " is above the maximum " + max);
    }
  }

  void size(String member, List<?> list, int min, int max) {
    if (list.size() < min) {
      fail(member, list.size() + " items is below the minimum " + min);
    } else if (list.size() > max) {
      fail(member, list.size() + " items is above the maximum " + max);
    }
  }

  void productCode(String member, String value) {
    length(member, value, 0, 255);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!(alphanumeric(c) || c == '-' || c == '/' || c == '=' || c == ':' || c == '_' || c == '.' || c == '@')) {
        fail(member, quote(value) + " does not match the pattern " + PRODUCT_CODE);
        return;
      }
    }
  }

  void dimension(String member, String value) {
    length(member, value, 1, 255);
  }

  void optional(String member, Optional<String> value, int min, int max) {
    if (value.isPresent()) {
      length(member, value.get(), min, max);
    }
  }

  void usageRecord(int index, UsageRecord record) {
    int mark = enter("usageRecords", index);
    dimension("dimension", record.dimension());
    range("quantity", record.quantity(), 0, MAX_QUANTITY);
    if (record.customerIdentifier().isPresent()) {
      length("customerIdentifier", record.customerIdentifier().get(), 0, 255);
    }
    if (record.customerAwsAccountId().isPresent()) {
      String id = record.customerAwsAccountId().get();
      length("customerAwsAccountId", id, 1, 255);
      if (!digits(id)) {
        fail("customerAwsAccountId", quote(id) + " does not match the pattern " + CUSTOMER_AWS_ACCOUNT_ID);
      }
    }
    if (record.licenseArn().isPresent() && !LICENSE_ARN.matcher(record.licenseArn().get()).find()) {
      fail("licenseArn", quote(record.licenseArn().get()) + " does not match the pattern "
          + LICENSE_ARN.pattern().replace("\\z", "$"));
    }
    allocations("usageAllocations", record.usageAllocations());
    // Documented since 2025-03: "mutually exclusive parameters. You must use one or the other".
    if (record.customerIdentifier().isPresent() && record.customerAwsAccountId().isPresent()) {
      fail("", "customerIdentifier and customerAwsAccountId are mutually exclusive; set only one");
    } else if (record.customerIdentifier().isEmpty() && record.customerAwsAccountId().isEmpty()) {
      fail("", "one of customerAwsAccountId or customerIdentifier is required");
    }
    leave(mark);
  }

  void allocations(String member, List<UsageAllocation> allocations) {
    if (allocations.isEmpty()) {
      return; // absent
    }
    size(member, allocations, 1, MAX_ALLOCATIONS);
    for (int i = 0; i < allocations.size(); i++) {
      UsageAllocation allocation = allocations.get(i);
      int mark = enter(member, i);
      range("allocatedUsageQuantity", allocation.allocatedUsageQuantity(), 0, MAX_QUANTITY);
      List<Tag> tags = allocation.tags();
      if (!tags.isEmpty()) {
        size("tags", tags, 1, MAX_TAGS);
        for (int t = 0; t < tags.size(); t++) {
          int tagMark = enter("tags", t);
          tag("key", tags.get(t).key(), 100);
          tag("value", tags.get(t).value(), 256);
          leave(tagMark);
        }
      }
      leave(mark);
    }
  }

  private void tag(String member, String value, int max) {
    length(member, value, 1, max);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      // " -=" in the model's class is a range from space to '='; it covers '+', '.', '/' and ':'.
      if (!(alphanumeric(c) || (c >= ' ' && c <= '=') || c == '_' || c == '@')) {
        fail(member, quote(value) + " does not match the pattern " + TAG);
        return;
      }
    }
  }

  private static boolean alphanumeric(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  private static boolean digits(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private static String quote(String value) {
    String shown = value.length() > 64 ? value.substring(0, 61) + "..." : value;
    return "'" + shown + "'";
  }
}
