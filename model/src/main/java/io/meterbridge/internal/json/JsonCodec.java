package io.meterbridge.internal.json;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.SerializedString;
import io.meterbridge.exception.InvalidRequestException;
import io.meterbridge.exception.MeteringClientException;
import io.meterbridge.exception.SerializationException;
import io.meterbridge.model.BatchMeterUsageRequest;
import io.meterbridge.model.BatchMeterUsageResponse;
import io.meterbridge.model.MeterUsageRequest;
import io.meterbridge.model.MeterUsageResponse;
import io.meterbridge.model.Operation;
import io.meterbridge.model.RegisterUsageRequest;
import io.meterbridge.model.RegisterUsageResponse;
import io.meterbridge.model.ResolveCustomerRequest;
import io.meterbridge.model.ResolveCustomerResponse;
import io.meterbridge.model.Tag;
import io.meterbridge.model.UsageAllocation;
import io.meterbridge.model.UsageRecord;
import io.meterbridge.model.UsageRecordResult;
import io.meterbridge.model.UsageRecordResultStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The AWS JSON 1.1 codec of the service, on Jackson's streaming API: member names exactly as the
 * model writes them, timestamps as epoch seconds (integers, fractions and exponents read; whole
 * seconds written as integers, others with millisecond fractions), absent members omitted,
 * unknown members ignored.
 *
 * <p>Shared by the client and the server; not part of the public API.
 *
 * <pre>{@code
 * byte[] body = JsonCodec.encodeRequest(Operation.METER_USAGE, request);
 * MeterUsageRequest back = JsonCodec.decodeRequest(Operation.METER_USAGE, body);
 * }</pre>
 */
public final class JsonCodec {
  private static final JsonFactory FACTORY = JsonFactory.builder()
      // Bodies are capped at 1 MB by the server; these limits stop pathological nesting early.
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).maxNumberLength(64).build())
      .build();

  // The member names of the repeated shapes, encoded once: the generator copies their bytes.
  private static final SerializedString TIMESTAMP = new SerializedString("Timestamp");
  private static final SerializedString CUSTOMER_IDENTIFIER = new SerializedString("CustomerIdentifier");
  private static final SerializedString DIMENSION = new SerializedString("Dimension");
  private static final SerializedString QUANTITY = new SerializedString("Quantity");
  private static final SerializedString USAGE_ALLOCATIONS = new SerializedString("UsageAllocations");
  private static final SerializedString ALLOCATED_USAGE_QUANTITY = new SerializedString("AllocatedUsageQuantity");
  private static final SerializedString TAGS = new SerializedString("Tags");
  private static final SerializedString KEY = new SerializedString("Key");
  private static final SerializedString VALUE = new SerializedString("Value");
  // Written 25 times an answer to a batch (as are the names above in the records it echoes).
  private static final SerializedString USAGE_RECORD = new SerializedString("UsageRecord");
  private static final SerializedString METERING_RECORD_ID = new SerializedString("MeteringRecordId");
  private static final SerializedString STATUS = new SerializedString("Status");
  private static final SerializedString CUSTOMER_AWS_ACCOUNT_ID = new SerializedString("CustomerAWSAccountId");
  private static final SerializedString LICENSE_ARN = new SerializedString("LicenseArn");

  private static final long MAX_EPOCH_SECONDS = EpochSeconds.MAX_SECONDS;

  private static final UsageRecordResultStatus[] STATUSES = knownStatuses();

  private static UsageRecordResultStatus[] knownStatuses() {
    List<UsageRecordResultStatus> known = new ArrayList<>();
    for (UsageRecordResultStatus status : UsageRecordResultStatus.values()) {
      if (status != UsageRecordResultStatus.UNKNOWN) {
        known.add(status);
      }
    }
    return known.toArray(new UsageRecordResultStatus[0]);
  }

  private JsonCodec() {}

  // ---------------------------------------------------------------------------------- requests

  /**
   * The request body for {@code operation}, in an array of exactly its length: the JSON is written
   * to a per-thread buffer that is reused, then copied once.
   */
  public static <I> byte[] encodeRequest(Operation<I, ?> operation, I request) {
    ReusableOutput out = ReusableOutput.acquire();
    try {
      encodeRequest(operation, request, out);
      return out.toByteArray();
    } finally {
      out.release();
    }
  }

  /** Writes the request body for {@code operation} to {@code out}. */
  public static <I> void encodeRequest(Operation<I, ?> operation, I request, OutputStream out) {
    try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
      g.writeStartObject();
      Object r = request;
      if (r instanceof BatchMeterUsageRequest b) {
        g.writeArrayFieldStart("UsageRecords");
        for (UsageRecord record : b.usageRecords()) {
          writeUsageRecord(g, record);
        }
        g.writeEndArray();
        writeOptional(g, "ProductCode", b.productCode());
      } else if (r instanceof MeterUsageRequest m) {
        g.writeStringField("ProductCode", m.productCode());
        writeTimestamp(g, "Timestamp", m.timestamp());
        g.writeStringField("UsageDimension", m.usageDimension());
        g.writeNumberField("UsageQuantity", m.usageQuantity());
        if (m.dryRun()) {
          g.writeBooleanField("DryRun", true);
        }
        writeAllocations(g, m.usageAllocations());
        writeOptional(g, "ClientToken", m.clientToken());
      } else if (r instanceof RegisterUsageRequest reg) {
        g.writeStringField("ProductCode", reg.productCode());
        g.writeNumberField("PublicKeyVersion", reg.publicKeyVersion());
        writeOptional(g, "Nonce", reg.nonce());
      } else if (r instanceof ResolveCustomerRequest res) {
        g.writeStringField("RegistrationToken", res.registrationToken());
      } else {
        throw new IllegalArgumentException("not a request of " + operation + ": " + request);
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads a request body; an empty body counts as {@code {}}.
   *
   * @throws SerializationException if the body is not JSON or a member has the wrong type
   * @throws InvalidRequestException if the request breaks a constraint of the model
   */
  public static <I> I decodeRequest(Operation<I, ?> operation, byte[] body) {
    return decodeRequest(operation, body, 0, body.length);
  }

  /** Reads a request body from {@code body[offset, offset + length)}. */
  public static <I> I decodeRequest(Operation<I, ?> operation, byte[] body, int offset, int length) {
    if (isBlank(body, offset, length)) {
      try {
        return operation.requestType().cast(readRequest(operation, null));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    String notUtf8 = Utf8Body.problem(body, offset, length);
    if (notUtf8 != null) {
      throw new SerializationException("Malformed request: " + notUtf8);
    }
    try (JsonParser p = FACTORY.createParser(body, offset, length)) {
      Object request = readRequest(operation, p);
      if (p.nextToken() != null) {
        throw new SerializationException("Unexpected content after the JSON object");
      }
      return operation.requestType().cast(request);
    } catch (JsonProcessingException e) {
      throw malformed(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Object readRequest(Operation<?, ?> operation, JsonParser p) throws IOException {
    Reader in = new Reader(p, true);
    if (operation == Operation.BATCH_METER_USAGE) {
      List<UsageRecord> records = null;
      String productCode = null;
      while (in.nextField()) {
        switch (in.field()) {
          // null means absent in JSON 1.1, and UsageRecords is required
          case "UsageRecords" -> records = in.isNull() ? null : in.list("usageRecords", JsonCodec::readUsageRecord, 0);
          case "ProductCode" -> productCode = in.string("productCode");
          default -> in.skip();
        }
      }
      if (records == null) {
        throw new InvalidRequestException(List.of("usageRecords: is required"));
      }
      return new BatchMeterUsageRequest(records, Optional.ofNullable(productCode));
    }
    if (operation == Operation.METER_USAGE) {
      MeterUsageRequest.Builder b = MeterUsageRequest.builder();
      while (in.nextField()) {
        switch (in.field()) {
          case "ProductCode" -> b.productCode(in.string("productCode"));
          case "Timestamp" -> b.timestamp(in.timestamp("timestamp"));
          case "UsageDimension" -> b.usageDimension(in.string("usageDimension"));
          case "UsageQuantity" -> b.usageQuantity(in.integer("usageQuantity", 0, 0));
          case "DryRun" -> b.dryRun(in.bool("dryRun"));
          case "UsageAllocations" -> b.usageAllocations(in.list("usageAllocations", JsonCodec::readAllocation, 1));
          case "ClientToken" -> b.clientToken(in.string("clientToken"));
          default -> in.skip();
        }
      }
      in.throwIfViolations();
      return b.build();
    }
    if (operation == Operation.REGISTER_USAGE) {
      RegisterUsageRequest.Builder b = RegisterUsageRequest.builder();
      boolean version = false;
      while (in.nextField()) {
        switch (in.field()) {
          case "ProductCode" -> b.productCode(in.string("productCode"));
          case "PublicKeyVersion" -> {
            b.publicKeyVersion(in.integer("publicKeyVersion", 1, 1));
            version = true;
          }
          case "Nonce" -> b.nonce(in.string("nonce"));
          default -> in.skip();
        }
      }
      if (!version) {
        in.violation("publicKeyVersion: is required");
      }
      in.throwIfViolations();
      return b.build();
    }
    if (operation == Operation.RESOLVE_CUSTOMER) {
      String token = null;
      while (in.nextField()) {
        if (in.field().equals("RegistrationToken")) {
          token = in.string("registrationToken");
        } else {
          in.skip();
        }
      }
      return new ResolveCustomerRequest(token);
    }
    throw new IllegalArgumentException("unknown operation " + operation);
  }

  private static UsageRecord readUsageRecord(Reader in) throws IOException {
    UsageRecord.Builder b = UsageRecord.builder();
    while (in.nextField()) {
      switch (in.field()) {
        case "Timestamp" -> b.timestamp(in.timestamp("timestamp"));
        case "CustomerIdentifier" -> b.customerIdentifier(in.string("customerIdentifier"));
        case "Dimension" -> b.dimension(in.string("dimension"));
        case "Quantity" -> b.quantity(in.integer("quantity", 0, 0));
        case "UsageAllocations" -> b.usageAllocations(in.list("usageAllocations", JsonCodec::readAllocation, 1));
        case "CustomerAWSAccountId" -> b.customerAwsAccountId(in.string("customerAwsAccountId"));
        case "LicenseArn" -> b.licenseArn(in.string("licenseArn"));
        default -> in.skip();
      }
    }
    try {
      return b.build();
    } catch (InvalidRequestException e) {
      throw e.under(in.here());
    }
  }

  private static UsageAllocation readAllocation(Reader in) throws IOException {
    int quantity = 0;
    boolean seen = false;
    List<Tag> tags = List.of();
    while (in.nextField()) {
      switch (in.field()) {
        case "AllocatedUsageQuantity" -> {
          quantity = in.integer("allocatedUsageQuantity", 0, 0);
          seen = true;
        }
        case "Tags" -> tags = in.list("tags", JsonCodec::readTag, 1);
        default -> in.skip();
      }
    }
    if (!seen) {
      throw new InvalidRequestException(List.of(in.path("allocatedUsageQuantity") + ": is required"));
    }
    return new UsageAllocation(quantity, tags);
  }

  private static Tag readTag(Reader in) throws IOException {
    String key = null;
    String value = null;
    while (in.nextField()) {
      switch (in.field()) {
        case "Key" -> key = in.string("key");
        case "Value" -> value = in.string("value");
        default -> in.skip();
      }
    }
    if (key == null || value == null) {
      List<String> missing = new ArrayList<>(2);
      if (key == null) {
        missing.add(in.path("key") + ": is required");
      }
      if (value == null) {
        missing.add(in.path("value") + ": is required");
      }
      throw new InvalidRequestException(missing);
    }
    return new Tag(key, value);
  }

  // --------------------------------------------------------------------------------- responses

  /** The response body for {@code operation}, in an array of exactly its length. */
  public static <O> byte[] encodeResponse(Operation<?, O> operation, O response) {
    ReusableOutput out = ReusableOutput.acquire();
    try {
      encodeResponse(operation, response, out);
      return out.toByteArray();
    } finally {
      out.release();
    }
  }

  /** Writes the response body for {@code operation} to {@code out}. */
  public static <O> void encodeResponse(Operation<?, O> operation, O response, OutputStream out) {
    try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
      g.writeStartObject();
      Object r = response;
      if (r instanceof BatchMeterUsageResponse b) {
        g.writeArrayFieldStart("Results");
        for (UsageRecordResult result : b.results()) {
          g.writeStartObject();
          if (result.usageRecord().isPresent()) {
            g.writeFieldName(USAGE_RECORD);
            writeUsageRecord(g, result.usageRecord().get());
          }
          writeOptional(g, METERING_RECORD_ID, result.meteringRecordId());
          if (result.status().isPresent() && result.status().get() != UsageRecordResultStatus.UNKNOWN) {
            g.writeFieldName(STATUS);
            g.writeString(result.status().get().wireValue());
          }
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("UnprocessedRecords");
        for (UsageRecord record : b.unprocessedRecords()) {
          writeUsageRecord(g, record);
        }
        g.writeEndArray();
      } else if (r instanceof MeterUsageResponse m) {
        writeOptional(g, "MeteringRecordId", m.meteringRecordId());
      } else if (r instanceof RegisterUsageResponse reg) {
        if (reg.publicKeyRotationTimestamp().isPresent()) {
          writeTimestamp(g, "PublicKeyRotationTimestamp", reg.publicKeyRotationTimestamp().get());
        }
        writeOptional(g, "Signature", reg.signature());
      } else if (r instanceof ResolveCustomerResponse res) {
        writeOptional(g, "CustomerIdentifier", res.customerIdentifier());
        writeOptional(g, "ProductCode", res.productCode());
        writeOptional(g, "CustomerAWSAccountId", res.customerAwsAccountId());
        writeOptional(g, "LicenseArn", res.licenseArn());
      } else {
        throw new IllegalArgumentException("not a response of " + operation + ": " + response);
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads a response body; an empty body counts as {@code {}}.
   *
   * @throws MeteringClientException if the body cannot be read as that response
   */
  public static <O> O decodeResponse(Operation<?, O> operation, byte[] body) {
    return decodeResponse(operation, body, 0, body.length);
  }

  /**
   * Reads a response body from {@code body[offset, offset + length)}.
   *
   * @throws MeteringClientException if the body cannot be read as that response
   */
  public static <O> O decodeResponse(Operation<?, O> operation, byte[] body, int offset, int length) {
    if (isBlank(body, offset, length)) {
      return operation.responseType().cast(readResponse(operation, new Reader(null, false)));
    }
    String notUtf8 = Utf8Body.problem(body, offset, length);
    if (notUtf8 != null) {
      throw new MeteringClientException("Could not read the " + operation + " response: " + notUtf8);
    }
    try (JsonParser p = FACTORY.createParser(body, offset, length)) {
      return operation.responseType().cast(readResponse(operation, new Reader(p, false)));
    } catch (IOException | SerializationException | InvalidRequestException e) {
      throw new MeteringClientException(
          "Could not read the " + operation + " response: " + e.getMessage(), e);
    }
  }

  private static Object readResponse(Operation<?, ?> operation, Reader in) {
    try {
      if (operation == Operation.BATCH_METER_USAGE) {
        List<UsageRecordResult> results = List.of();
        List<UsageRecord> unprocessed = List.of();
        while (in.nextField()) {
          switch (in.field()) {
            case "Results" -> results = in.list("results", JsonCodec::readResult, 0);
            case "UnprocessedRecords" -> unprocessed = in.list("unprocessedRecords", JsonCodec::readUsageRecord, 0);
            default -> in.skip();
          }
        }
        return new BatchMeterUsageResponse(results, unprocessed);
      }
      if (operation == Operation.METER_USAGE) {
        String id = null;
        while (in.nextField()) {
          if (in.field().equals("MeteringRecordId")) {
            id = in.string("meteringRecordId");
          } else {
            in.skip();
          }
        }
        return new MeterUsageResponse(Optional.ofNullable(id));
      }
      if (operation == Operation.REGISTER_USAGE) {
        Instant rotation = null;
        String signature = null;
        while (in.nextField()) {
          switch (in.field()) {
            case "PublicKeyRotationTimestamp" -> rotation = in.timestamp("publicKeyRotationTimestamp");
            case "Signature" -> signature = in.string("signature");
            default -> in.skip();
          }
        }
        return new RegisterUsageResponse(Optional.ofNullable(rotation), Optional.ofNullable(signature));
      }
      if (operation == Operation.RESOLVE_CUSTOMER) {
        String customer = null;
        String product = null;
        String account = null;
        String license = null;
        while (in.nextField()) {
          switch (in.field()) {
            case "CustomerIdentifier" -> customer = in.string("customerIdentifier");
            case "ProductCode" -> product = in.string("productCode");
            case "CustomerAWSAccountId" -> account = in.string("customerAwsAccountId");
            case "LicenseArn" -> license = in.string("licenseArn");
            default -> in.skip();
          }
        }
        return new ResolveCustomerResponse(Optional.ofNullable(customer), Optional.ofNullable(product),
            Optional.ofNullable(account), Optional.ofNullable(license));
      }
    } catch (JsonProcessingException e) {
      throw malformed(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalArgumentException("unknown operation " + operation);
  }

  private static UsageRecordResult readResult(Reader in) throws IOException {
    UsageRecord record = null;
    String id = null;
    UsageRecordResultStatus status = null;
    while (in.nextField()) {
      switch (in.field()) {
        case "UsageRecord" -> record = in.object("usageRecord", JsonCodec::readUsageRecord);
        case "MeteringRecordId" -> id = in.string("meteringRecordId");
        case "Status" -> status = in.status("status");
        default -> in.skip();
      }
    }
    return new UsageRecordResult(Optional.ofNullable(record), Optional.ofNullable(id), Optional.ofNullable(status));
  }

  // ------------------------------------------------------------------------------------ errors

  /** The code and message of an error body. */
  public record ErrorBody(Optional<String> code, Optional<String> message) {}

  /** An error body: {@code {"__type":"ThrottlingException","message":"Rate exceeded"}}. */
  public static byte[] encodeError(String code, String message) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + message.length());
    try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeStringField("__type", code);
      g.writeStringField("message", message);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * Reads the code ({@code __type} or {@code code}) and message ({@code message}, {@code Message}
   * or {@code errorMessage}) of an error body; both absent when the body is not a JSON object.
   */
  public static ErrorBody decodeError(byte[] body) {
    String code = null;
    String message = null;
    if (!isBlank(body, 0, body.length)) {
      try (JsonParser p = FACTORY.createParser(body)) {
        if (p.nextToken() == JsonToken.START_OBJECT) {
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (value == JsonToken.VALUE_STRING) {
              switch (field) {
                case "__type", "code" -> code = code == null ? p.getText() : code;
                case "message", "Message", "errorMessage" -> message = message == null ? p.getText() : message;
                default -> { }
              }
            } else {
              p.skipChildren();
            }
          }
        }
      } catch (IOException e) {
        // Not JSON (a proxy's HTML page, say): the caller falls back on the HTTP status.
      }
    }
    return new ErrorBody(Optional.ofNullable(code), Optional.ofNullable(message));
  }

  // ----------------------------------------------------------------------------------- writing

  private static void writeUsageRecord(JsonGenerator g, UsageRecord record) throws IOException {
    g.writeStartObject();
    g.writeFieldName(TIMESTAMP);
    writeTimestampValue(g, record.timestamp());
    if (record.customerIdentifier().isPresent()) {
      g.writeFieldName(CUSTOMER_IDENTIFIER);
      g.writeString(record.customerIdentifier().get());
    }
    g.writeFieldName(DIMENSION);
    g.writeString(record.dimension());
    g.writeFieldName(QUANTITY);
    g.writeNumber(record.quantity());
    writeAllocations(g, record.usageAllocations());
    writeOptional(g, CUSTOMER_AWS_ACCOUNT_ID, record.customerAwsAccountId());
    writeOptional(g, LICENSE_ARN, record.licenseArn());
    g.writeEndObject();
  }

  private static void writeAllocations(JsonGenerator g, List<UsageAllocation> allocations) throws IOException {
    if (allocations.isEmpty()) {
      return;
    }
    g.writeFieldName(USAGE_ALLOCATIONS);
    g.writeStartArray();
    for (UsageAllocation allocation : allocations) {
      g.writeStartObject();
      g.writeFieldName(ALLOCATED_USAGE_QUANTITY);
      g.writeNumber(allocation.allocatedUsageQuantity());
      if (!allocation.tags().isEmpty()) {
        g.writeFieldName(TAGS);
        g.writeStartArray();
        for (Tag tag : allocation.tags()) {
          g.writeStartObject();
          g.writeFieldName(KEY);
          g.writeString(tag.key());
          g.writeFieldName(VALUE);
          g.writeString(tag.value());
          g.writeEndObject();
        }
        g.writeEndArray();
      }
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  private static void writeOptional(JsonGenerator g, String name, Optional<String> value) throws IOException {
    if (value.isPresent()) {
      g.writeStringField(name, value.get());
    }
  }

  private static void writeOptional(JsonGenerator g, SerializedString name, Optional<String> value) throws IOException {
    if (value.isPresent()) {
      g.writeFieldName(name);
      g.writeString(value.get());
    }
  }

  static void writeTimestamp(JsonGenerator g, String name, Instant instant) throws IOException {
    g.writeFieldName(name);
    writeTimestampValue(g, instant);
  }

  private static void writeTimestampValue(JsonGenerator g, Instant instant) throws IOException {
    long seconds = instant.getEpochSecond();
    int millis = instant.getNano() / 1_000_000;
    if (millis == 0) {
      g.writeNumber(seconds);
    } else {
      g.writeNumber(BigDecimal.valueOf(seconds * 1000 + millis, 3));
    }
  }

  /** Jackson's message without the names of its own classes, which mean nothing to a caller. */
  private static SerializationException malformed(JsonProcessingException e) {
    String message = e.getOriginalMessage().replaceAll(", from `StreamReadConstraints\\.[A-Za-z]+\\(\\)`", "");
    return new SerializationException("Malformed JSON: " + message);
  }

  private static boolean isBlank(byte[] body, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      byte b = body[i];
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return false;
      }
    }
    return true;
  }

  // ----------------------------------------------------------------------------------- reading

  @FunctionalInterface
  private interface ElementReader<T> {
    T read(Reader in) throws IOException;
  }

  /** Pulls typed members out of a parser, turning wrong types into SerializationException. */
  private static final class Reader {
    private final JsonParser p;
    /** The path of the object being read, shared with nested readers; a string only on error. */
    private final StringBuilder at;
    /** Repeated string values of one document, shared with nested readers. */
    private final StringTable strings;
    /** Whether list sizes are checked against the model (requests), or read as they come (responses). */
    private final boolean strict;
    private List<String> violations;
    private boolean started;

    Reader(JsonParser p, boolean strict) {
      this.p = p;
      this.strict = strict;
      this.at = new StringBuilder(48);
      this.strings = new StringTable();
    }

    /** The path of {@code member} of the object being read. */
    String path(String member) {
      if (at.length() == 0) {
        return member;
      }
      return member.isEmpty() ? at.toString() : at + "." + member;
    }

    /** The path of the object being read. */
    String here() {
      return path("");
    }

    /** Advances to the next member of the current object; false at its end. */
    boolean nextField() throws IOException {
      if (p == null) {
        return false;
      }
      if (!started) {
        started = true;
        JsonToken first = p.nextToken();
        if (first != JsonToken.START_OBJECT) {
          throw new SerializationException("Expected a JSON object but found " + describe(first));
        }
      }
      JsonToken token = p.nextToken();
      if (token == JsonToken.FIELD_NAME) {
        p.nextToken();
        return true;
      }
      if (token == JsonToken.END_OBJECT) {
        return false;
      }
      throw new SerializationException("Unexpected " + describe(token));
    }

    String field() throws IOException {
      return p.currentName();
    }

    boolean isNull() {
      return p.currentToken() == JsonToken.VALUE_NULL;
    }

    void skip() throws IOException {
      p.skipChildren();
    }

    void violation(String violation) {
      if (violations == null) {
        violations = new ArrayList<>(1);
      }
      violations.add(violation);
    }

    void throwIfViolations() {
      if (violations != null) {
        throw new InvalidRequestException(violations);
      }
    }

    String string(String member) throws IOException {
      JsonToken t = p.currentToken();
      if (t == JsonToken.VALUE_NULL) {
        return null;
      }
      if (t != JsonToken.VALUE_STRING) {
        throw wrongType(member, "a string", t);
      }
      return strings.get(p);
    }

    /** A result status, matched on the parser's characters (no String for the known values). */
    UsageRecordResultStatus status(String member) throws IOException {
      JsonToken t = p.currentToken();
      if (t == JsonToken.VALUE_NULL) {
        return null;
      }
      if (t != JsonToken.VALUE_STRING) {
        throw wrongType(member, "a string", t);
      }
      char[] chars = p.getTextCharacters();
      int offset = p.getTextOffset();
      int length = p.getTextLength();
      for (UsageRecordResultStatus status : STATUSES) {
        String wire = status.wireValue();
        if (wire.length() == length && StringTable.equal(wire, chars, offset, length)) {
          return status;
        }
      }
      return UsageRecordResultStatus.UNKNOWN;
    }

    boolean bool(String member) throws IOException {
      JsonToken t = p.currentToken();
      if (t == JsonToken.VALUE_NULL) {
        return false;
      }
      if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
        throw wrongType(member, "a boolean", t);
      }
      return t == JsonToken.VALUE_TRUE;
    }

    /**
     * An int member whose model minimum is {@code min} (its maximum is the int range's): a whole
     * number beyond the int range is reported against the model's bounds, as the constraint
     * checks report one within it. The factory caps numbers at 64 characters, so nothing here
     * costs more than that.
     */
    int integer(String member, int absent, int min) throws IOException {
      JsonToken t = p.currentToken();
      if (t == JsonToken.VALUE_NULL) {
        return absent;
      }
      if (t != JsonToken.VALUE_NUMBER_INT) {
        throw wrongType(member, "an integer", t);
      }
      if (p.getNumberType() == JsonParser.NumberType.INT) {
        return p.getIntValue();
      }
      String text = p.getText();
      boolean negative = text.startsWith("-");
      throw new InvalidRequestException(List.of(path(member) + ": " + text
          + (negative ? " is below the minimum " + min : " is above the maximum " + Integer.MAX_VALUE)));
    }

    Instant timestamp(String member) throws IOException {
      JsonToken t = p.currentToken();
      if (t == JsonToken.VALUE_NULL) {
        return null;
      }
      if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
        throw wrongType(member, "a number of epoch seconds", t);
      }
      if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
        // Whole seconds, the usual case.
        long whole = p.getLongValue();
        if (whole <= MAX_EPOCH_SECONDS && whole >= -MAX_EPOCH_SECONDS) {
          return Instant.ofEpochSecond(whole);
        }
      }
      // Never BigDecimal: see EpochSeconds for the number that froze the server.
      Instant instant = EpochSeconds.parse(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
      if (instant == null) {
        throw new SerializationException(path(member) + ": " + p.getText() + " is not a valid timestamp: "
            + "send epoch seconds between -" + MAX_EPOCH_SECONDS + " and " + MAX_EPOCH_SECONDS);
      }
      return instant;
    }

    <T> T object(String member, ElementReader<T> element) throws IOException {
      JsonToken t = p.currentToken();
      if (t == JsonToken.VALUE_NULL) {
        return null;
      }
      if (t != JsonToken.START_OBJECT) {
        throw wrongType(member, "an object", t);
      }
      int mark = at.length();
      if (mark > 0) {
        at.append('.');
      }
      at.append(member);
      T value = nested(element);
      at.setLength(mark);
      return value;
    }

    /**
     * Reads the object the parser stands on with this same reader (nesting is strictly last in,
     * first out, so only the started flag needs saving), not a new reader per object.
     */
    private <T> T nested(ElementReader<T> element) throws IOException {
      boolean outer = started;
      started = true;
      T value = element.read(this);
      started = outer;
      return value;
    }

    /**
     * An immutable list of the array's objects: {@code List.of} for up to two (which the model's
     * {@code List.copyOf} keeps as is), so short lists such as tags cost no spare capacity.
     */
    <T> List<T> list(String member, ElementReader<T> element, int minItems) throws IOException {
      JsonToken t = p.currentToken();
      if (t == JsonToken.VALUE_NULL) {
        return List.of();
      }
      if (t != JsonToken.START_ARRAY) {
        throw wrongType(member, "an array", t);
      }
      T first = null;
      T second = null;
      List<T> items = null;
      int count = 0;
      JsonToken next;
      int mark = at.length();
      while ((next = p.nextToken()) != JsonToken.END_ARRAY) {
        if (mark > 0) {
          at.append('.');
        }
        at.append(member).append('[').append(count).append(']');
        if (next != JsonToken.START_OBJECT) {
          throw wrongType("", "an object", next);
        }
        T item = nested(element);
        if (count == 0) {
          first = item;
        } else if (count == 1) {
          second = item;
        } else {
          if (items == null) {
            items = new ArrayList<>(8);
            items.add(first);
            items.add(second);
          }
          items.add(item);
        }
        count++;
        at.setLength(mark);
      }
      if (count == 0) {
        // An empty list is not an absent one: the model's minimum applies (absent is checked by callers).
        if (strict && minItems > 0) {
          throw new InvalidRequestException(List.of(path(member) + ": 0 items is below the minimum " + minItems));
        }
        return List.of();
      }
      if (count == 1) {
        return List.of(first);
      }
      if (count == 2) {
        return List.of(first, second);
      }
      return List.copyOf(items);
    }

    private SerializationException wrongType(String member, String expected, JsonToken found) {
      return new SerializationException(path(member) + ": expected " + expected + " but found " + describe(found));
    }

    private static String describe(JsonToken token) {
      if (token == null) {
        return "the end of the input";
      }
      return switch (token) {
        case START_OBJECT -> "an object";
        case START_ARRAY -> "an array";
        case VALUE_STRING -> "a string";
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
        case VALUE_TRUE, VALUE_FALSE -> "a boolean";
        case VALUE_NULL -> "null";
        default -> token.asString() == null ? token.name() : "'" + token.asString() + "'";
      };
    }
  }

}
