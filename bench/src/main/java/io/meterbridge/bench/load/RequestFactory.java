package io.meterbridge.bench.load;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Builds whole HTTP/1.1 requests (head and body as one {@code byte[]}), signed with SigV4 the
 * cheap way: the signed headers are fixed, so the canonical request is a template; the signing key
 * is derived once per access key and day, the date header once per second, and one {@code
 * MessageDigest} and one {@code Mac} per key are reused. Not thread-safe: one per event loop.
 * {@link #selfCheck} compares a signature with the model's {@code SigV4Signer} at start.
 */
final class RequestFactory {
  static final String BATCH_TARGET = "AWSMPMeteringService.BatchMeterUsage";
  static final String METER_TARGET = "AWSMPMeteringService.MeterUsage";
  private static final String CONTENT_TYPE = "application/x-amz-json-1.1";
  private static final String SIGNED = "content-type;host;x-amz-date;x-amz-target";
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final HexFormat HEX = HexFormat.of();

  private final LoadCatalog catalog;
  private final String host;
  private final MessageDigest sha256;
  private final Map<String, Mac> macs = new HashMap<>();
  private final StringBuilder body = new StringBuilder(4096);
  private final StringBuilder text = new StringBuilder(1024);
  private long dateSecond = Long.MIN_VALUE;
  private String amzDate;
  private String dateStamp;

  RequestFactory(LoadCatalog catalog, String host) {
    this.catalog = catalog;
    this.host = host;
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** BatchMeterUsage of records {@code first .. first + count - 1} of the key space, by the seller. */
  byte[] batch(long first, int count) {
    body.setLength(0);
    body.append("{\"ProductCode\":\"").append(LoadCatalog.SAAS_PRODUCT).append("\",\"UsageRecords\":[");
    for (int i = 0; i < count; i++) {
      long r = first + i;
      body.append(i == 0 ? "{" : ",{")
          .append("\"Timestamp\":").append(catalog.batchTimestamp(r))
          .append(",\"CustomerAWSAccountId\":\"").append(catalog.customerAccount(r))
          .append("\",\"Dimension\":\"").append(catalog.batchDimension(r))
          .append("\",\"Quantity\":").append(1 + (r & 7)).append('}');
    }
    body.append("]}");
    return request(BATCH_TARGET, LoadCatalog.SELLER_KEY, LoadCatalog.SELLER_SECRET);
  }

  /** MeterUsage call {@code call} of the key space, by its customer's own key. */
  byte[] meter(long call) {
    int caller = catalog.meterCaller(call);
    body.setLength(0);
    body.append("{\"ProductCode\":\"").append(LoadCatalog.AMI_PRODUCT)
        .append("\",\"Timestamp\":").append(catalog.meterTimestamp(call))
        .append(",\"UsageDimension\":\"").append(catalog.meterDimension(call))
        .append("\",\"UsageQuantity\":").append(1 + (call & 7)).append('}');
    String key = catalog.callerKey(caller);
    return request(METER_TARGET, key, LoadCatalog.callerSecret(key));
  }

  private byte[] request(String target, String accessKey, String secret) {
    long second = System.currentTimeMillis() / 1000;
    if (second != dateSecond) {
      dateSecond = second;
      amzDate = AMZ_DATE.format(Instant.ofEpochSecond(second));
      String day = amzDate.substring(0, 8);
      if (!day.equals(dateStamp)) {
        dateStamp = day;
        macs.clear();
      }
    }
    byte[] payload = body.toString().getBytes(StandardCharsets.ISO_8859_1);
    String signature = sign(target, accessKey, secret, HEX.formatHex(sha256.digest(payload)));
    text.setLength(0);
    text.append("POST / HTTP/1.1\r\nHost: ").append(host)
        .append("\r\nContent-Type: ").append(CONTENT_TYPE)
        .append("\r\nX-Amz-Target: ").append(target)
        .append("\r\nX-Amz-Date: ").append(amzDate)
        .append("\r\nAuthorization: AWS4-HMAC-SHA256 Credential=").append(accessKey).append('/').append(dateStamp)
        .append('/').append(LoadCatalog.REGION).append("/aws-marketplace/aws4_request, SignedHeaders=")
        .append(SIGNED).append(", Signature=").append(signature)
        .append("\r\nContent-Length: ").append(payload.length).append("\r\n\r\n");
    byte[] head = text.toString().getBytes(StandardCharsets.ISO_8859_1);
    byte[] out = new byte[head.length + payload.length];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(payload, 0, out, head.length, payload.length);
    return out;
  }

  private String sign(String target, String accessKey, String secret, String payloadHash) {
    text.setLength(0);
    text.append("POST\n/\n\ncontent-type:").append(CONTENT_TYPE).append("\nhost:").append(host)
        .append("\nx-amz-date:").append(amzDate).append("\nx-amz-target:").append(target)
        .append("\n\n").append(SIGNED).append('\n').append(payloadHash);
    String canonicalHash = HEX.formatHex(sha256.digest(text.toString().getBytes(StandardCharsets.ISO_8859_1)));
    text.setLength(0);
    text.append("AWS4-HMAC-SHA256\n").append(amzDate).append('\n').append(dateStamp).append('/')
        .append(LoadCatalog.REGION).append("/aws-marketplace/aws4_request\n").append(canonicalHash);
    Mac mac = macs.computeIfAbsent(accessKey, k -> signingMac(secret));
    return HEX.formatHex(mac.doFinal(text.toString().getBytes(StandardCharsets.ISO_8859_1)));
  }

  private Mac signingMac(String secret) {
    try {
      byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), dateStamp);
      key = hmac(key, LoadCatalog.REGION);
      key = hmac(key, "aws-marketplace");
      key = hmac(key, "aws4_request");
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String data) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Signs one request here and with the model's signer, and fails if the signatures differ: a wrong
   * template would otherwise show up only as a run of 400s.
   */
  void selfCheck() {
    byte[] request = batch(0, 2);
    String wire = new String(request, StandardCharsets.ISO_8859_1);
    String payload = wire.substring(wire.indexOf("\r\n\r\n") + 4);
    String ours = wire.substring(wire.indexOf("Signature=") + 10, wire.indexOf("Signature=") + 74);
    io.meterbridge.auth.SignableRequest signable = io.meterbridge.auth.SignableRequest.builder()
        .method("POST").target("/")
        .header("Host", host).header("Content-Type", CONTENT_TYPE).header("X-Amz-Target", BATCH_TARGET)
        .body(payload.getBytes(StandardCharsets.ISO_8859_1))
        .build();
    io.meterbridge.auth.SigningResult model = io.meterbridge.auth.SigV4Signer.builder()
        .service("aws-marketplace").region(LoadCatalog.REGION).build()
        .sign(signable, io.meterbridge.auth.AwsCredentials.of(LoadCatalog.SELLER_KEY, LoadCatalog.SELLER_SECRET),
            Instant.ofEpochSecond(dateSecond));
    if (!model.signature().equals(ours)) {
      throw new IllegalStateException("load generator's SigV4 differs from the model's signer:\n" + wire
          + "\nmodel: " + model.authorizationHeader());
    }
  }
}
