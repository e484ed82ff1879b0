package io.meterbridge.server.store;

import java.util.Comparator;

/** Every table's mapping (see {@link Table}): the one place where a row type meets its columns. */
final class Tables {
  private Tables() {}

  // ---- catalog ----

  static final Table<Account> ACCOUNT = Table.<Account>builder("account")
      .text("account_id", Account::accountId)
      .text("name", Account::name)
      .read(v -> new Account(v.text("account_id"), v.text("name")));

  static final Table<AccessKey> ACCESS_KEY = Table.<AccessKey>builder("access_key")
      .text("access_key_id", AccessKey::accessKeyId)
      .text("account_id", AccessKey::accountId)
      .text("secret_access_key", AccessKey::secretAccessKey)
      .optionalText("resource_id", AccessKey::resourceId)
      .optionalText("platform", k -> k.platform().map(Enum::name))
      .read(v -> new AccessKey(v.text("access_key_id"), v.text("account_id"), v.text("secret_access_key"),
          v.optionalText("resource_id"), v.optionalText("platform").map(Platform::valueOf)));

  static final Table<Product> PRODUCT = Table.<Product>builder("product")
      .text("product_code", Product::productCode)
      .text("seller_account_id", Product::sellerAccountId)
      .text("product_type", p -> p.type().name())
      .text("region", Product::region)
      .bool("agent_core", Product::agentCore)
      .optionalText("platforms", p -> java.util.Optional.of(Platform.join(p.platforms())))
      .read(v -> new Product(v.text("product_code"), v.text("seller_account_id"),
          ProductType.valueOf(v.text("product_type")), v.text("region"), v.bool("agent_core"),
          Platform.split(v.optionalText("platforms"))));

  /** A row of {@code product_dimension}. */
  record Dimension(String productCode, String name) {}

  static final Table<Dimension> DIMENSION = Table.<Dimension>builder("product_dimension")
      .text("product_code", Dimension::productCode)
      .text("dimension", Dimension::name)
      .read(v -> new Dimension(v.text("product_code"), v.text("dimension")));

  static final Table<SigningKey> SIGNING_KEY = Table.<SigningKey>builder("signing_key")
      .text("product_code", SigningKey::productCode)
      .int4("version", SigningKey::version)
      .bytes("private_key", SigningKey::privateKey)
      .bytes("public_key", SigningKey::publicKey)
      .millis("created_at", SigningKey::createdAt)
      .optionalMillis("expires_at", SigningKey::expiresAt)
      .read(v -> new SigningKey(v.text("product_code"), v.int4("version"), v.bytes("private_key"),
          v.bytes("public_key"), v.millis("created_at"), v.optionalMillis("expires_at")));

  static final Table<Subscription> SUBSCRIPTION = Table.<Subscription>builder("subscription")
      .text("product_code", Subscription::productCode)
      .text("customer_account_id", Subscription::customerAccountId)
      .optionalText("customer_identifier", Subscription::customerIdentifier)
      .optionalText("license_arn", Subscription::licenseArn)
      .bool("active", Subscription::active)
      .millis("since", Subscription::since)
      .read(v -> new Subscription(v.text("product_code"), v.text("customer_account_id"),
          v.optionalText("customer_identifier"), v.optionalText("license_arn"), v.bool("active"), v.millis("since")));

  static final Table<RegistrationToken> REGISTRATION_TOKEN = Table.<RegistrationToken>builder("registration_token")
      .text("token", RegistrationToken::token)
      .text("product_code", RegistrationToken::productCode)
      .text("customer_account_id", RegistrationToken::customerAccountId)
      .optionalText("customer_identifier", RegistrationToken::customerIdentifier)
      .optionalText("license_arn", RegistrationToken::licenseArn)
      .millis("expires_at", RegistrationToken::expiresAt)
      .read(v -> new RegistrationToken(v.text("token"), v.text("product_code"), v.text("customer_account_id"),
          v.optionalText("customer_identifier"), v.optionalText("license_arn"), v.millis("expires_at")));

  // ---- metering ----

  /**
   * The unique key of a BatchMeterUsage record as stored ({@code batch_record}, since V3 in its
   * earlier table): the hour and the {@code key_name} ids of the product code, customer account id
   * and dimension. One {@link BatchRow.Key} has one, as long as the names keep their ids (they do:
   * {@code key_name} rows are never changed or deleted).
   */
  record IdKey(long hour, int productId, int customerId, int dimensionId) implements Comparable<IdKey> {
    @Override
    public int compareTo(IdKey o) {
      int c = Long.compare(hour, o.hour);
      if (c == 0) c = Integer.compare(productId, o.productId);
      if (c == 0) c = Integer.compare(customerId, o.customerId);
      if (c == 0) c = Integer.compare(dimensionId, o.dimensionId);
      return c;
    }
  }

  static final Table<IdKey> BATCH_RECORD_KEY = Table.<IdKey>builder("batch_record")
      .int8("hour", IdKey::hour)
      .int4("product_id", IdKey::productId)
      .int4("customer_id", IdKey::customerId)
      .int4("dimension_id", IdKey::dimensionId)
      .read(v -> new IdKey(v.int8("hour"), v.int4("product_id"), v.int4("customer_id"), v.int4("dimension_id")));

  /**
   * A row of {@code batch_record}: a record's key, what reports sum and group by, and where its
   * other fields live ({@code ref}: its call's seq times {@link #SLOTS}, plus its slot).
   *
   * @param licenseId the license's {@code key_name} id, 0 for none
   */
  record RecordRow(IdKey key, int quantity, int licenseId, long ref) {}

  /** Slots a call row has, and so the factor between a call's seq and its records' refs. */
  static final int SLOTS = 1024;

  static final Table<RecordRow> BATCH_RECORD = Table.<RecordRow>builder("batch_record")
      .columns(BATCH_RECORD_KEY, RecordRow::key)
      .int4("quantity", RecordRow::quantity)
      .idOrNull("license_id", RecordRow::licenseId)
      .int8("ref", RecordRow::ref)
      .identity("ref")
      .keyOrder(Comparator.comparing(RecordRow::key))
      .writeOnly();

  /**
   * A row of {@code batch_call}: the stored records of one call for one product ({@link
   * CallRecords}), and what they share.
   */
  record CallRow(long seq, int productId, String callerAccountId, java.time.Instant receivedAt, String records) {}

  static final Table<CallRow> BATCH_CALL = Table.<CallRow>builder("batch_call")
      .int8("seq", CallRow::seq)
      .int4("product_id", CallRow::productId)
      .text("caller_account_id", CallRow::callerAccountId)
      .millis("received_at", CallRow::receivedAt)
      .text("records", CallRow::records)
      .identity("seq")
      .read(v -> new CallRow(v.int8("seq"), v.int4("product_id"), v.text("caller_account_id"),
          v.millis("received_at"), v.text("records")));

  /** The once-per-hour unique key of {@code meter_usage}. */
  static final Table<MeterRow.Key> METER_KEY = Table.<MeterRow.Key>builder("meter_usage")
      .int8("hour", MeterRow.Key::hour)
      .text("caller_identity", MeterRow.Key::callerIdentity)
      .text("product_code", MeterRow.Key::productCode)
      .text("dimension", MeterRow.Key::dimension)
      .read(v -> new MeterRow.Key(v.int8("hour"), v.text("caller_identity"), v.text("product_code"),
          v.text("dimension")));

  /** The client-token unique key of {@code meter_usage}. */
  static final Table<Keys.Token> TOKEN_KEY = tokenKey("meter_usage");

  /** The key of {@code meter_usage_token}: the same columns as {@link #TOKEN_KEY}. */
  static final Table<Keys.Token> BOUND_TOKEN_KEY = tokenKey("meter_usage_token");

  /**
   * A row of {@code meter_usage_token}: a MeterUsage ClientToken whose call was answered from
   * another call's row, bound to its own request so that it cannot be reused with other parameters.
   */
  record TokenBinding(Keys.Token token, String requestFingerprint, String meteringRecordId) {}

  static final Table<TokenBinding> TOKEN_BINDING = Table.<TokenBinding>builder("meter_usage_token")
      .columns(BOUND_TOKEN_KEY, TokenBinding::token)
      .text("request_fingerprint", TokenBinding::requestFingerprint)
      .text("metering_record_id", TokenBinding::meteringRecordId)
      .writeOnly();

  private static Table<Keys.Token> tokenKey(String table) {
    return Table.<Keys.Token>builder(table)
        .text("caller_account_id", Keys.Token::callerAccountId)
        .text("client_token", Keys.Token::clientToken)
        .read(v -> new Keys.Token(v.text("caller_account_id"), v.text("client_token")));
  }

  static final Table<MeterRow> METER_USAGE = Table.<MeterRow>builder("meter_usage")
      .text("id", MeterRow::meteringRecordId)
      .columns(METER_KEY, MeterRow::key)
      .text("caller_account_id", MeterRow::callerAccountId)
      .millis("usage_time", MeterRow::timestamp)
      .int4("quantity", MeterRow::quantity)
      .text("allocations", MeterRow::allocations)
      .text("fingerprint", MeterRow::fingerprint)
      .optionalText("client_token", MeterRow::clientToken)
      .text("request_fingerprint", MeterRow::requestFingerprint)
      .millis("received_at", MeterRow::receivedAt)
      .keyOrder(Comparator.comparing(MeterRow::key))
      .read(v -> new MeterRow(v.text("id"),
          v.part(METER_KEY),
          v.text("caller_account_id"), v.millis("usage_time"), v.int4("quantity"), v.text("allocations"),
          v.text("fingerprint"), v.optionalText("client_token"), v.text("request_fingerprint"),
          v.millis("received_at")));

  static final Table<TaskRecord> TASK = Table.<TaskRecord>builder("task_registration")
      .text("caller_identity", TaskRecord::callerIdentity)
      .text("product_code", TaskRecord::productCode)
      .text("caller_account_id", TaskRecord::callerAccountId)
      .millis("first_seen", TaskRecord::firstSeen)
      .millis("last_seen", TaskRecord::lastSeen)
      .int8("calls", TaskRecord::calls)
      .read(v -> new TaskRecord(v.text("caller_identity"), v.text("product_code"), v.text("caller_account_id"),
          v.millis("first_seen"), v.millis("last_seen"), v.int8("calls")));
}
