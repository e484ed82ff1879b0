package io.meterbridge.client.credentials;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.meterbridge.auth.AwsCredentials;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * IAM Identity Center (SSO) role credentials for a profile with {@code sso_session} (or the
 * legacy {@code sso_start_url}), {@code sso_account_id} and {@code sso_role_name}.
 *
 * <p>The access token is the one {@code aws sso login} leaves in
 * {@code ~/.aws/sso/cache/<sha1>.json}, where the hash is of the session name (for
 * {@code sso_session}) or of the start URL (legacy). We read it, never write or refresh it: when
 * it has expired, the message says to run {@code aws sso login} again. With it, the SSO portal's
 * {@code GetRoleCredentials} ({@code GET /federation/credentials}, the token in
 * {@code x-amz-sso_bearer_token}) returns the role's temporary credentials, cached and refreshed
 * like the others. Portal: {@code https://portal.sso.<sso_region>.amazonaws.com}, or
 * {@code AWS_ENDPOINT_URL_SSO} (property {@code aws.endpointUrlSso}).
 */
final class SsoCredentials implements CredentialsProvider {

  private static final JsonFactory JSON = JsonFactory.builder().build();

  private final Environment environment;
  private final String cacheKey;
  private final String accountId;
  private final String roleName;
  private final URI portal;
  private final String profileName;
  private final String where;
  private final CredentialsHttp http = new CredentialsHttp(Sts.CONNECT_TIMEOUT, Sts.READ_TIMEOUT, true);
  private final RefreshingCredentials cache;

  SsoCredentials(Environment environment, ProfileFile files, String profileName,
      Map<String, String> profile) {
    this.environment = environment;
    this.profileName = profileName;
    this.where = files.describe(profileName);
    String session = value(profile, "sso_session");
    String region;
    if (!session.isEmpty()) {
      Map<String, String> section = files.section("sso-session", session).orElseThrow(() ->
          new CredentialsException("The " + where + " names sso_session " + session + ", but "
              + files.configFile() + " has no [sso-session " + session + "] section"));
      region = required(section, "sso_region", "[sso-session " + session + "]");
      required(section, "sso_start_url", "[sso-session " + session + "]");
      this.cacheKey = session;
    } else {
      this.cacheKey = required(profile, "sso_start_url", "profile");
      region = required(profile, "sso_region", "profile");
    }
    this.accountId = required(profile, "sso_account_id", "profile");
    this.roleName = required(profile, "sso_role_name", "profile");
    this.portal = environment.property("aws.endpointUrlSso")
        .or(() -> environment.variable("AWS_ENDPOINT_URL_SSO"))
        .map(URI::create)
        .orElse(URI.create("https://portal.sso." + region + ".amazonaws.com"));
    this.cache = new RefreshingCredentials(this::fetch, environment.clock());
  }

  private String required(Map<String, String> section, String key, String what) {
    String value = value(section, key);
    if (value.isEmpty()) {
      throw new CredentialsException("The " + where + " uses IAM Identity Center, but its "
          + ("profile".equals(what) ? "profile" : what) + " has no " + key);
    }
    return value;
  }

  private static String value(Map<String, String> section, String key) {
    String value = section.get(key);
    return value == null ? "" : value.strip();
  }

  /** The token cache file as the AWS CLI names it. */
  Path cacheFile() {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-1").digest(cacheKey.getBytes(StandardCharsets.UTF_8));
      return environment.home().resolve(".aws").resolve("sso").resolve("cache")
          .resolve(HexFormat.of().formatHex(hash) + ".json");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is missing from this JVM", e);
    }
  }

  private String accessToken() {
    Path file = cacheFile();
    String login = "; run aws sso login --profile " + profileName;
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new CredentialsException("No IAM Identity Center token for the " + where + " in "
          + file + login);
    } catch (IOException e) {
      throw new CredentialsException("Cannot read the IAM Identity Center token " + file + ": "
          + e.getMessage(), e);
    }
    CredentialsDocument document = CredentialsDocument.parse(text, file.toString());
    String token = document.field("accessToken").orElseThrow(() ->
        new CredentialsException("The IAM Identity Center token file " + file + " has no accessToken" + login));
    String expiresAt = document.field("expiresAt").orElseThrow(() ->
        new CredentialsException("The IAM Identity Center token file " + file + " has no expiresAt" + login));
    Instant expiry;
    try {
      // The CLI writes "2026-12-04T20:00:00Z"; older versions "2026-12-04T20:00:00UTC".
      expiry = DateTimeFormatter.ISO_DATE_TIME.parse(expiresAt.replace("UTC", "Z"), Instant::from);
    } catch (DateTimeParseException e) {
      throw new CredentialsException("The IAM Identity Center token file " + file
          + " has an expiresAt that is not an ISO-8601 instant: " + expiresAt);
    }
    if (!expiry.isAfter(environment.clock().instant())) {
      throw new CredentialsException("The IAM Identity Center token for the " + where
          + " expired at " + expiry + login);
    }
    return token;
  }

  private AwsCredentials fetch() {
    String token = accessToken();
    URI base = portal.getRawPath() == null || portal.getRawPath().isEmpty() ? portal.resolve("/") : portal;
    URI uri = base.resolve("federation/credentials?account_id="
        + URLEncoder.encode(accountId, StandardCharsets.UTF_8) + "&role_name="
        + URLEncoder.encode(roleName, StandardCharsets.UTF_8));
    String what = "IAM Identity Center GetRoleCredentials for role " + roleName + " in account "
        + accountId + " at " + CredentialsHttp.describe(uri);
    CredentialsHttp.Response response = http.get(uri, Map.of("x-amz-sso_bearer_token", token));
    if (response.status() == 401) {
      throw new CredentialsException(what + " failed: HTTP 401, the access token was refused"
          + "; run aws sso login --profile " + profileName);
    }
    if (!response.ok()) {
      throw new CredentialsException(what + " failed: HTTP " + response.status()
          + (response.status() == 403 ? " (is the role assigned to you in this account?)" : ""));
    }
    return roleCredentials(response.body(), what);
  }

  /** {@code {"roleCredentials": {"accessKeyId", "secretAccessKey", "sessionToken", "expiration"}}}. */
  static AwsCredentials roleCredentials(String json, String what) {
    Map<String, String> fields = new HashMap<>();
    try (JsonParser parser = JSON.createParser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new CredentialsException(what + " answered something other than a JSON object");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if (name.equals("roleCredentials") && value == JsonToken.START_OBJECT) {
          while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken inner = parser.nextToken();
            if (inner.isScalarValue() && inner != JsonToken.VALUE_NULL) {
              fields.put(field, parser.getText());
            } else {
              parser.skipChildren();
            }
          }
        } else {
          parser.skipChildren();
        }
      }
    } catch (IOException e) {
      throw new CredentialsException(what + " answered invalid JSON");
    }
    String accessKeyId = fields.get("accessKeyId");
    String secret = fields.get("secretAccessKey");
    String token = fields.get("sessionToken");
    String expiration = fields.get("expiration");
    if (accessKeyId == null || secret == null || token == null || expiration == null) {
      throw new CredentialsException(what + " answered without roleCredentials' accessKeyId,"
          + " secretAccessKey, sessionToken and expiration");
    }
    Instant expiry;
    try {
      expiry = Instant.ofEpochMilli(Long.parseLong(expiration));
    } catch (NumberFormatException e) {
      throw new CredentialsException(what + " answered an expiration that is not epoch milliseconds");
    }
    return new AwsCredentials(accessKeyId, secret, Optional.of(token), Optional.of(expiry));
  }

  @Override
  public AwsCredentials resolveCredentials() {
    return cache.resolveCredentials();
  }

  @Override
  public String toString() {
    return "Sso[" + accountId + "/" + roleName + "]";
  }

}
