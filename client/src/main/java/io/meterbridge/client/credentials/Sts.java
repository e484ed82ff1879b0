package io.meterbridge.client.credentials;

import io.meterbridge.auth.AwsCredentials;
import io.meterbridge.auth.SignableRequest;
import io.meterbridge.auth.SigV4Signer;
import io.meterbridge.auth.SigningResult;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The two STS operations the credential providers need, {@code AssumeRoleWithWebIdentity}
 * (unsigned: the web identity token is the proof) and {@code AssumeRole} (signed with the source
 * credentials), in STS's query protocol: a form-encoded {@code POST /} with {@code Action} and
 * {@code Version}, answered in XML.
 *
 * <p>Why not the AWS SDK's STS client: it would bring the SDK's core, its HTTP client and its XML
 * stack onto the class path for two calls an hour. The request is a handful of form fields and the
 * answer five elements; the JDK's StAX reader (with DTDs and external entities off) reads it.
 *
 * <p>Endpoint: {@code AWS_ENDPOINT_URL_STS} (or the {@code aws.endpointUrlSts} property) when set,
 * else the regional endpoint {@code https://sts.<region>.amazonaws.com} ({@code .amazonaws.com.cn}
 * in China), as the AWS SDKs now default to. The global {@code AWS_ENDPOINT_URL} is deliberately
 * not applied: for a metering client it usually names the metering endpoint (a Meterbridge
 * server), which does not speak STS.
 *
 * <p>Errors name the operation, the role, the HTTP status and STS's own code and message (which
 * never contain a secret); never the token or keys.
 */
final class Sts {

  static final String VERSION = "2011-06-15";
  /** STS answers in well under a second; leave room for a slow network, not for a hung one. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
  static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

  private final URI endpoint;
  private final String region;
  private final CredentialsHttp http;
  private final java.time.Clock clock;

  Sts(Environment environment, String region) {
    this.region = region;
    this.endpoint = endpoint(environment, region);
    this.http = new CredentialsHttp(CONNECT_TIMEOUT, READ_TIMEOUT, true);
    this.clock = environment.clock();
  }

  /** The region STS is called in: the environment's and profile's region, else us-east-1. */
  static String region(Environment environment, Optional<String> profileRegion) {
    return profileRegion.filter(r -> !r.isBlank())
        .or(() -> new DefaultRegionProvider(environment).region())
        .orElse("us-east-1");
  }

  static URI endpoint(Environment environment, String region) {
    Optional<String> configured = environment.property("aws.endpointUrlSts")
        .or(() -> environment.variable("AWS_ENDPOINT_URL_STS"));
    if (configured.isPresent()) {
      return URI.create(configured.get());
    }
    String suffix = region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
    return URI.create("https://sts." + region + "." + suffix);
  }

  URI endpoint() {
    return endpoint;
  }

  /**
   * {@code AssumeRoleWithWebIdentity}: exchanges an OIDC token (EKS IRSA's projected service
   * account token) for the role's temporary credentials.
   */
  AwsCredentials assumeRoleWithWebIdentity(
      String roleArn, String sessionName, String token, Optional<Integer> durationSeconds) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("Action", "AssumeRoleWithWebIdentity");
    form.put("Version", VERSION);
    form.put("RoleArn", roleArn);
    form.put("RoleSessionName", sessionName);
    form.put("WebIdentityToken", token);
    durationSeconds.ifPresent(d -> form.put("DurationSeconds", Integer.toString(d)));
    return call("AssumeRoleWithWebIdentity", roleArn, form, Optional.empty());
  }

  /** {@code AssumeRole}, signed with {@code source}. */
  AwsCredentials assumeRole(AwsCredentials source, String roleArn, String sessionName,
      Optional<String> externalId, Optional<Integer> durationSeconds) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("Action", "AssumeRole");
    form.put("Version", VERSION);
    form.put("RoleArn", roleArn);
    form.put("RoleSessionName", sessionName);
    externalId.ifPresent(id -> form.put("ExternalId", id));
    durationSeconds.ifPresent(d -> form.put("DurationSeconds", Integer.toString(d)));
    return call("AssumeRole", roleArn, form, Optional.of(source));
  }

  private AwsCredentials call(String action, String roleArn, Map<String, String> form,
      Optional<AwsCredentials> signWith) {
    byte[] body = encode(form).getBytes(StandardCharsets.UTF_8);
    URI uri = endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty()
        ? endpoint.resolve("/") : endpoint;
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
    if (signWith.isPresent()) {
      SignableRequest request = SignableRequest.builder()
          .method("POST")
          .path(uri.getRawPath())
          .header("Host", host(uri))
          .header("Content-Type", headers.get("Content-Type"))
          .body(body)
          .build();
      SigV4Signer signer = SigV4Signer.builder().service("sts").region(region).build();
      SigningResult signed = signer.sign(request, signWith.get(), clock.instant());
      signed.addedHeaders().forEach(headers::put);
    }
    String what = "STS " + action + " for " + roleArn + " at " + CredentialsHttp.describe(uri);
    CredentialsHttp.Response response = http.post(uri, headers, body, what);
    if (!response.ok()) {
      throw new CredentialsException(what + " failed: HTTP " + response.status()
          + errorText(response.body()));
    }
    return credentials(response.body(), what);
  }

  /** Host as the JDK client sends it (port only when not the scheme's default), which we sign. */
  static String host(URI uri) {
    int port = uri.getPort();
    boolean defaultPort = port == -1
        || (port == 443 && "https".equalsIgnoreCase(uri.getScheme()))
        || (port == 80 && "http".equalsIgnoreCase(uri.getScheme()));
    String host = uri.getHost();
    if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return defaultPort ? host : host + ":" + port;
  }

  static String encode(Map<String, String> form) {
    StringBuilder text = new StringBuilder();
    form.forEach((name, value) -> {
      if (text.length() > 0) {
        text.append('&');
      }
      text.append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
          .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    });
    return text.toString();
  }

  /** The credentials in an {@code ...Result/Credentials} element. */
  static AwsCredentials credentials(String xml, String what) {
    Map<String, String> fields = elements(xml, "Credentials", what);
    String accessKeyId = fields.get("AccessKeyId");
    String secret = fields.get("SecretAccessKey");
    String token = fields.get("SessionToken");
    String expiration = fields.get("Expiration");
    if (accessKeyId == null || secret == null || token == null || expiration == null) {
      throw new CredentialsException(what + " answered without AccessKeyId, SecretAccessKey,"
          + " SessionToken and Expiration");
    }
    Instant expiry;
    try {
      expiry = DateTimeFormatter.ISO_DATE_TIME.parse(expiration, Instant::from);
    } catch (DateTimeParseException e) {
      throw new CredentialsException(what + " answered an Expiration that is not an ISO-8601 instant");
    }
    return new AwsCredentials(accessKeyId, secret, Optional.of(token), Optional.of(expiry));
  }

  /** ": Code: Message" from an STS {@code ErrorResponse}, or nothing when the body is not one. */
  static String errorText(String xml) {
    try {
      Map<String, String> error = elements(xml, "Error", "");
      String code = error.getOrDefault("Code", "");
      String message = error.getOrDefault("Message", "");
      if (code.isEmpty()) {
        return "";
      }
      return " " + code + (message.isEmpty() ? "" : ": " + message);
    } catch (CredentialsException e) {
      return ""; // a proxy's HTML page: the status says enough, and the body may echo anything
    }
  }

  /** The text of the direct children of the first element named {@code parent}. */
  static Map<String, String> elements(String xml, String parent, String what) {
    Map<String, String> fields = new LinkedHashMap<>();
    int parentDepth = -1;
    try {
      XMLStreamReader reader = XML.createXMLStreamReader(new StringReader(xml));
      int depth = 0;
      String child = null;
      StringBuilder text = new StringBuilder();
      while (reader.hasNext()) {
        int event = reader.next();
        if (event == XMLStreamReader.START_ELEMENT) {
          depth++;
          if (parentDepth < 0 && reader.getLocalName().equals(parent)) {
            parentDepth = depth;
          } else if (parentDepth > 0 && depth == parentDepth + 1) {
            child = reader.getLocalName();
            text.setLength(0);
          }
        } else if (event == XMLStreamReader.CHARACTERS || event == XMLStreamReader.CDATA) {
          if (child != null) {
            text.append(reader.getText());
          }
        } else if (event == XMLStreamReader.END_ELEMENT) {
          if (child != null && depth == parentDepth + 1) {
            fields.put(child, text.toString().strip());
            child = null;
          } else if (depth == parentDepth) {
            return fields;
          }
          depth--;
        }
      }
    } catch (XMLStreamException e) {
      // The parser's message may quote the document, which holds secrets.
      throw new CredentialsException(what + " answered a body that is not XML");
    }
    if (parentDepth < 0) {
      throw new CredentialsException(what + " answered without a " + parent + " element");
    }
    return fields;
  }

  private static final XMLInputFactory XML = xmlFactory();

  private static XMLInputFactory xmlFactory() {
    XMLInputFactory factory = XMLInputFactory.newFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    return factory;
  }

  /** A session name as the SDKs make one when none is configured. */
  static String defaultSessionName(java.time.Clock clock) {
    return "meterbridge-" + clock.millis();
  }

  @Override
  public String toString() {
    return "STS at " + CredentialsHttp.describe(endpoint) + " (" + region.toLowerCase(Locale.ROOT) + ")";
  }
}
