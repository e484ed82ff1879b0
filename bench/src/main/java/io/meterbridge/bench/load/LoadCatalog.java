package io.meterbridge.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.SplittableRandom;

/**
 * The catalog every load run uses, and the key space its records walk so that no two records of a
 * run share a dedup key: with the default order record {@code i} is (customer {@code i % customers},
 * dimension {@code (i / customers) % dimensions}, hour {@code i / (customers * dimensions)}); the
 * other orders ({@link Order}) visit the same keys in another sequence. Written as a seed file for
 * the server, or loaded straight into a store for the ceiling benchmark.
 */
final class LoadCatalog {
  static final String SELLER_ACCOUNT = "111111111111";
  static final String SELLER_KEY = "AKIDBENCHSELLER";
  static final String SELLER_SECRET = "benchSellerSecretKey0123456789abcdefghij";
  static final String SAAS_PRODUCT = "bench-saas";
  static final String AMI_PRODUCT = "bench-ami";
  static final String REGION = "us-east-1";
  /** Hours of the key space: the current hour and the four before it, well inside both time windows. */
  static final int HOURS = 5;

  final int customers;
  final int dimensions;
  /** Customers that also call MeterUsage, each with its own access key. */
  final int meterCallers;
  /** Start of the oldest hour, epoch seconds. */
  final long firstHour;
  private final String[] customerAccounts;
  private final String[] dimensionNames;
  private final String[] callerKeys;

  /**
   * How record numbers walk the key space. SPREAD: consecutive records are different customers (a
   * batch is 25 customers, one dimension), so each record lands in another part of the hour's
   * index. SEQUENTIAL: consecutive records are one customer's dimensions, in key order, so inserts
   * append to the index (a seller's hourly job going through its customers in order). SHUFFLED: as
   * SPREAD, but each pass over the customers (one a dimension) visits them in a random order of its
   * own, so that consecutive records land anywhere in the index: the worst case for a B-tree.
   */
  enum Order { SPREAD, SEQUENTIAL, SHUFFLED }

  final Order order;

  private record PassOrder(long pass, int[] customers) {}

  // SHUFFLED: the current pass's order and the one before it, for callers straddling a pass's end.
  private volatile PassOrder current;
  private volatile PassOrder previous;

  LoadCatalog(int customers, int dimensions, int meterCallers, Instant now, Order order) {
    this.order = order;
    this.customers = customers;
    this.dimensions = dimensions;
    this.meterCallers = meterCallers;
    this.firstHour = now.truncatedTo(ChronoUnit.HOURS).getEpochSecond() - (HOURS - 1) * 3600L;
    customerAccounts = new String[customers];
    for (int i = 0; i < customers; i++) {
      customerAccounts[i] = Long.toString(200_000_000_000L + i);
    }
    dimensionNames = new String[dimensions];
    for (int i = 0; i < dimensions; i++) {
      dimensionNames[i] = String.format("d%04d", i);
    }
    callerKeys = new String[meterCallers];
    for (int i = 0; i < meterCallers; i++) {
      callerKeys[i] = String.format("AKIDBENCHCALLER%05d", i);
    }
  }

  long batchKeys() {
    return (long) customers * dimensions * HOURS;
  }

  long meterKeys() {
    return (long) meterCallers * dimensions * HOURS;
  }

  String customerAccount(long record) {
    return customerAccounts[(int) switch (order) {
      case SPREAD -> record % customers;
      case SEQUENTIAL -> (record / dimensions) % customers;
      case SHUFFLED -> shuffled(record % customers, record / customers);
    }];
  }

  String batchDimension(long record) {
    return dimensionNames[(int) (order == Order.SEQUENTIAL ? record % dimensions : (record / customers) % dimensions)];
  }

  /**
   * Position {@code p} of pass {@code pass} mapped to a customer, through a random permutation of
   * the customers of its own a pass (seeded by the pass, so every run walks the same orders). The
   * store numbers customers in the order the first pass met them, so later passes land anywhere.
   */
  private long shuffled(long p, long pass) {
    return passOrder(pass)[(int) p];
  }

  private int[] passOrder(long pass) {
    PassOrder c = current;
    if (c != null && c.pass() == pass) {
      return c.customers();
    }
    PassOrder p = previous;
    if (p != null && p.pass() == pass) {
      return p.customers();
    }
    synchronized (this) {
      if (current != null && current.pass() == pass) {
        return current.customers();
      }
      int[] order = new int[customers];
      for (int i = 0; i < customers; i++) {
        order[i] = i;
      }
      SplittableRandom random = new SplittableRandom(0x5EED_0000L + pass);
      for (int i = customers - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      previous = current;
      current = new PassOrder(pass, order);
      return order;
    }
  }

  /** The usage time of a record: one second into its hour. */
  long batchTimestamp(long record) {
    return firstHour + (record / ((long) customers * dimensions)) * 3600L + 1;
  }

  int meterCaller(long call) {
    return (int) (call % meterCallers);
  }

  String callerKey(int caller) {
    return callerKeys[caller];
  }

  String callerAccount(int caller) {
    return customerAccounts[caller];
  }

  static String callerSecret(String key) {
    return "secret-" + key + "-0123456789abcdef";
  }

  String meterDimension(long call) {
    return dimensionNames[(int) ((call / meterCallers) % dimensions)];
  }

  long meterTimestamp(long call) {
    return firstHour + (call / ((long) meterCallers * dimensions)) * 3600L + 1;
  }

  String dimensionName(int i) {
    return dimensionNames[i];
  }

  /** The seed file: the seller, its two products, every customer subscribed, the MeterUsage callers' keys. */
  void writeSeed(Path file) throws IOException {
    StringBuilder s = new StringBuilder(1 << 20);
    s.append("{\"accounts\":[{\"accountId\":\"").append(SELLER_ACCOUNT).append("\",\"name\":\"bench seller\",")
        .append("\"accessKeys\":[{\"accessKeyId\":\"").append(SELLER_KEY).append("\",\"secretAccessKey\":\"")
        .append(SELLER_SECRET).append("\"}]}");
    for (int i = 0; i < meterCallers; i++) {
      s.append(",{\"accountId\":\"").append(customerAccounts[i]).append("\",\"name\":\"caller ").append(i)
          .append("\",\"accessKeys\":[{\"accessKeyId\":\"").append(callerKeys[i])
          .append("\",\"secretAccessKey\":\"").append(callerSecret(callerKeys[i])).append("\"}]}");
    }
    s.append("],\"products\":[");
    for (String product : new String[] {SAAS_PRODUCT, AMI_PRODUCT}) {
      if (product.equals(AMI_PRODUCT)) {
        s.append(',');
      }
      s.append("{\"productCode\":\"").append(product).append("\",\"seller\":\"").append(SELLER_ACCOUNT)
          .append("\",\"type\":\"").append(product.equals(SAAS_PRODUCT) ? "SAAS" : "AMI")
          .append("\",\"region\":\"").append(REGION).append("\",\"dimensions\":[");
      for (int d = 0; d < dimensions; d++) {
        s.append(d == 0 ? "" : ",").append('"').append(dimensionNames[d]).append('"');
      }
      s.append("]}");
    }
    s.append("],\"subscriptions\":[");
    for (int i = 0; i < customers; i++) {
      s.append(i == 0 ? "" : ",").append("{\"productCode\":\"").append(SAAS_PRODUCT)
          .append("\",\"customerAWSAccountId\":\"").append(customerAccounts[i]).append("\",\"active\":true}");
    }
    for (int i = 0; i < meterCallers; i++) {
      s.append(",{\"productCode\":\"").append(AMI_PRODUCT)
          .append("\",\"customerAWSAccountId\":\"").append(customerAccounts[i]).append("\",\"active\":true}");
    }
    s.append("]}\n");
    Files.writeString(file, s, StandardCharsets.UTF_8);
  }
}
