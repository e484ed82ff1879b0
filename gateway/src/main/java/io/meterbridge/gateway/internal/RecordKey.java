package io.meterbridge.gateway.internal;

/**
 * What makes a record: the usage hour (epoch ms), product, customer (by account id or identifier),
 * license ({@code ""} when sent by ProductCode) and dimension. Ordered as the unique index, so writes
 * sorted by it take locks and pages in the same order in every process.
 */
record RecordKey(long hour, String productCode, String customer, String customerType, String licenseArn,
    String dimension) implements Comparable<RecordKey> {

  static final String ACCOUNT = "account";
  static final String IDENTIFIER = "identifier";

  RecordKey atHour(long otherHour) {
    return new RecordKey(otherHour, productCode, customer, customerType, licenseArn, dimension);
  }

  CustomerHour customerHour() {
    return new CustomerHour(hour, productCode, customer, customerType);
  }

  @Override
  public int compareTo(RecordKey o) {
    int c = Long.compare(hour, o.hour);
    if (c == 0) {
      c = productCode.compareTo(o.productCode);
    }
    if (c == 0) {
      c = customer.compareTo(o.customer);
    }
    if (c == 0) {
      c = customerType.compareTo(o.customerType);
    }
    if (c == 0) {
      c = licenseArn.compareTo(o.licenseArn);
    }
    if (c == 0) {
      c = dimension.compareTo(o.dimension);
    }
    return c;
  }

  /** A customer in one hour of one product: where ProductCode and LicenseArn must not mix. */
  record CustomerHour(long hour, String productCode, String customer, String customerType)
      implements Comparable<CustomerHour> {
    @Override
    public int compareTo(CustomerHour o) {
      int c = Long.compare(hour, o.hour);
      if (c == 0) {
        c = productCode.compareTo(o.productCode);
      }
      if (c == 0) {
        c = customer.compareTo(o.customer);
      }
      if (c == 0) {
        c = customerType.compareTo(o.customerType);
      }
      return c;
    }
  }
}
