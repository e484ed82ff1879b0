package io.meterbridge.gateway.internal;

import io.meterbridge.gateway.Allocation;
import io.meterbridge.gateway.CatalogProduct;
import io.meterbridge.model.Tag;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Every check of an event that needs no database, in the order a seller can act on: the event's
 * shape, its product and dimension, its customer, its time, its allocations. A rejection names the
 * field. What needs the ledger (duplicates, ProductCode and LicenseArn in one customer hour) is the
 * writer's.
 */
final class EventValidator {
  static final int MAX_ID_LENGTH = 128;
  static final int MAX_ALLOCATIONS = 2500;
  static final int MAX_TAGS = 5;

  // The service model's patterns (model/Constraints): a value AWS would refuse is refused here.
  private static final Pattern LICENSE_ARN = Pattern.compile(
      "^arn:aws[a-zA-Z-]*:[A-Za-z0-9][A-Za-z0-9_/.-]{0,62}:[A-Za-z0-9_/.-]{0,63}:"
          + "[A-Za-z0-9_/.-]{0,63}:[A-Za-z0-9][A-Za-z0-9:_/+=,@.-]{0,1023}\\z");
  // ' -=' is a range (space to '='), exactly as the model writes it.
  private static final Pattern TAG = Pattern.compile("^[a-zA-Z0-9+ -=._:\\/@]+\\z");

  /** An event's verdict: the valid event, or why not. */
  record Verdict(ValidEvent event, String rejection) {
    static Verdict rejected(String why) {
      return new Verdict(null, why);
    }
  }

  private final Catalog catalog;
  private final UpstreamWindow window;

  EventValidator(Catalog catalog, UpstreamWindow window) {
    this.catalog = catalog;
    this.window = window;
  }

  Verdict check(EventInput e, long now) {
    if (e.problem() != null) {
      return Verdict.rejected(e.problem());
    }
    if (e.id() == null) {
      return Verdict.rejected("id: required, 1 to " + MAX_ID_LENGTH + " characters");
    }
    int idLength = e.id().codePointCount(0, e.id().length());
    if (idLength < 1 || idLength > MAX_ID_LENGTH) {
      return Verdict.rejected("id: must be 1 to " + MAX_ID_LENGTH + " characters, was " + idLength);
    }
    if (e.productCode() == null) {
      return Verdict.rejected("productCode: required");
    }
    Optional<CatalogProduct> product = catalog.product(e.productCode());
    if (product.isEmpty()) {
      return Verdict.rejected("productCode: '" + e.productCode() + "' is not a product in the gateway's catalog");
    }
    if (!product.get().saas()) {
      return Verdict.rejected("productCode: '" + e.productCode() + "' is a " + product.get().type()
          + " product; the gateway meters SaaS products (BatchMeterUsage)");
    }
    if (e.dimension() == null) {
      return Verdict.rejected("dimension: required");
    }
    String dimension = catalog.dimension(e.productCode(), e.dimension());
    if (dimension == null) {
      return Verdict.rejected("dimension: '" + e.dimension() + "' is not a dimension of product " + e.productCode()
          + "; its dimensions are " + product.get().dimensions());
    }
    String customer;
    String customerType;
    if (e.customerAwsAccountId() != null && e.customerIdentifier() != null) {
      return Verdict.rejected("customerAWSAccountId: give exactly one of customerAWSAccountId and"
          + " customerIdentifier, not both");
    } else if (e.customerAwsAccountId() != null) {
      customer = e.customerAwsAccountId();
      customerType = RecordKey.ACCOUNT;
      if (customer.isEmpty() || customer.length() > 255 || !customer.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return Verdict.rejected("customerAWSAccountId: '" + customer + "' is not an AWS account id (digits)");
      }
    } else if (e.customerIdentifier() != null) {
      customer = e.customerIdentifier();
      customerType = RecordKey.IDENTIFIER;
      if (customer.isEmpty() || customer.length() > 255) {
        return Verdict.rejected("customerIdentifier: must be 1 to 255 characters");
      }
    } else {
      return Verdict.rejected("customerAWSAccountId: required (or customerIdentifier)");
    }
    String license = "";
    if (e.licenseArn() != null) {
      if (!LICENSE_ARN.matcher(e.licenseArn()).matches()) {
        return Verdict.rejected("licenseArn: '" + e.licenseArn() + "' is not a license ARN");
      }
      license = e.licenseArn();
    }
    if (e.quantity() == null) {
      return Verdict.rejected("quantity: required, an integer from 0");
    }
    long quantity = e.quantity();
    if (quantity < 0) {
      return Verdict.rejected("quantity: " + quantity + " is below the minimum 0");
    }
    if (e.timestamp() == null) {
      return Verdict.rejected("timestamp: required, ISO-8601 such as 2026-03-01T10:15:00Z");
    }
    long time = e.timestamp().toEpochMilli();
    if (time > now + UpstreamWindow.FUTURE_TOLERANCE.toMillis()) {
      return Verdict.rejected("timestamp: " + e.timestamp() + " is more than "
          + UpstreamWindow.FUTURE_TOLERANCE.toMinutes() + " minutes ahead of the gateway's clock ("
          + Instant.ofEpochMilli(now) + ")");
    }
    long hour = UpstreamWindow.hourOf(time);
    long deadline = window.deadline(hour);
    String tooLate = deadline > now ? null : "timestamp: " + e.timestamp() + " is past its deadline "
        + Instant.ofEpochMilli(deadline) + " (AWS accepts an hour's usage for " + window.name()
        + (window.monthEndCutoff().isPresent() ? ", a month's until 06:00 UTC on the 1st" : "") + "; gateway time "
        + Instant.ofEpochMilli(now) + ")";
    List<ValidEvent.TaggedQuantity> tagged = new ArrayList<>();
    String allocationProblem = checkAllocations(e.allocations(), quantity, tagged);
    if (allocationProblem != null) {
      return Verdict.rejected(allocationProblem);
    }
    // The catalog's strings, not the event's: open records' keys stay in memory.
    RecordKey key = new RecordKey(hour, product.get().productCode(), customer, customerType, license, dimension);
    long[] eventKey = Hashing.eventKey(e.productCode(), e.id());
    long content = Hashing.content(customerType + '\n' + customer + '\n' + license + '\n' + e.dimension() + '\n'
        + quantity + '\n' + time + '\n' + allocationsText(tagged));
    return new Verdict(new ValidEvent(e.id(), key, quantity, time, eventKey[0], eventKey[1], content,
        List.copyOf(tagged), tooLate), null);
  }

  private static String allocationsText(List<ValidEvent.TaggedQuantity> tagged) {
    if (tagged.isEmpty()) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    tagged.forEach(t -> parts.add(t.tags() + '\u001d' + t.quantity()));
    parts.sort(null);
    return String.join("\u001c", parts);
  }

  /** Null when the allocations are fine (filling {@code tagged}), else the problem naming the field. */
  private static String checkAllocations(List<Allocation> allocations, long quantity,
      List<ValidEvent.TaggedQuantity> tagged) {
    if (allocations == null || allocations.isEmpty()) {
      return null;
    }
    if (allocations.size() > MAX_ALLOCATIONS) {
      return "allocations: " + allocations.size() + " allocations; at most " + MAX_ALLOCATIONS;
    }
    long sum = 0;
    Set<String> keys = new TreeSet<>();
    Set<String> tagSets = new HashSet<>();
    for (int i = 0; i < allocations.size(); i++) {
      Allocation a = allocations.get(i);
      String where = "allocations[" + i + "]";
      if (a.quantity() < 0) {
        return where + ".allocatedUsageQuantity: " + a.quantity() + " is below the minimum 0";
      }
      if (a.tags().size() > MAX_TAGS) {
        return where + ".tags: " + a.tags().size() + " tags; at most " + MAX_TAGS;
      }
      Set<String> keysHere = new HashSet<>();
      for (int t = 0; t < a.tags().size(); t++) {
        Tag tag = a.tags().get(t);
        String tagWhere = where + ".tags[" + t + "]";
        if (tag.key().length() > 100 || !TAG.matcher(tag.key()).matches()) {
          return tagWhere + ".key: '" + tag.key() + "' must be 1 to 100 of a-zA-Z0-9+ -=._:/@";
        }
        if (tag.value().length() > 256 || !TAG.matcher(tag.value()).matches()) {
          return tagWhere + ".value: '" + tag.value() + "' must be 1 to 256 of a-zA-Z0-9+ -=._:/@";
        }
        if (!keysHere.add(tag.key())) {
          return tagWhere + ".key: '" + tag.key() + "' appears twice in one allocation";
        }
        keys.add(tag.key());
      }
      String canonical = Tags.canonical(a.tags());
      if (!tagSets.add(canonical)) {
        return where + ".tags: another allocation has the same tags; combine them";
      }
      try {
        sum = Math.addExact(sum, a.quantity());
      } catch (ArithmeticException overflow) {
        return "allocations: allocated quantities add up to more than 64 bits";
      }
      if (!canonical.isEmpty() && a.quantity() > 0) {
        tagged.add(new ValidEvent.TaggedQuantity(canonical, a.quantity()));
      }
    }
    if (keys.size() > MAX_TAGS) {
      return "allocations: " + keys.size() + " distinct tag keys " + keys + "; AWS allows at most " + MAX_TAGS
          + " across a record";
    }
    if (sum != quantity) {
      return "allocations: allocated quantities add up to " + sum + " but quantity is " + quantity;
    }
    return null;
  }
}
