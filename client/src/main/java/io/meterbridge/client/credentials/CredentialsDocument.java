package io.meterbridge.client.credentials;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.meterbridge.auth.AwsCredentials;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON credential documents of the container endpoint, IMDS and {@code credential_process}.
 *
 * <pre>{@code
 * {"AccessKeyId": "ASIA...", "SecretAccessKey": "...", "Token": "...",
 *  "Expiration": "2030-01-01T00:00:00Z"}
 * }</pre>
 *
 * <p>Error messages name missing or malformed fields, never their values: the document is full of
 * secrets.
 */
final class CredentialsDocument {

  private static final JsonFactory JSON = JsonFactory.builder().build();

  private final Map<String, String> fields;
  private final String source;

  private CredentialsDocument(Map<String, String> fields, String source) {
    this.fields = fields;
    this.source = source;
  }

  /** Reads the top-level scalar fields of {@code json}; {@code source} names it in errors. */
  static CredentialsDocument parse(String json, String source) {
    Map<String, String> fields = new HashMap<>();
    try (JsonParser parser = JSON.createParser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new CredentialsException("The response from " + source + " is not a JSON object");
      }
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if (value.isScalarValue() && value != JsonToken.VALUE_NULL) {
          fields.put(name, parser.getText());
        } else {
          parser.skipChildren();
        }
      }
      if (token != JsonToken.END_OBJECT) {
        throw new CredentialsException("The response from " + source + " is not a JSON object");
      }
    } catch (IOException e) {
      // Jackson's message can quote the offending text, which may be a secret: drop it.
      throw new CredentialsException("The response from " + source + " is not valid JSON");
    }
    return new CredentialsDocument(fields, source);
  }

  Optional<String> field(String name) {
    return Optional.ofNullable(fields.get(name)).filter(v -> !v.isEmpty());
  }

  /** Builds credentials from the key fields, the named token field and {@code Expiration}. */
  AwsCredentials credentials(String tokenField) {
    String accessKeyId = required("AccessKeyId");
    String secretAccessKey = required("SecretAccessKey");
    Optional<Instant> expiration = field("Expiration").map(this::instant);
    return new AwsCredentials(accessKeyId, secretAccessKey, field(tokenField), expiration);
  }

  private String required(String name) {
    return field(name).orElseThrow(() ->
        new CredentialsException("The response from " + source + " has no " + name));
  }

  // ISO_DATE_TIME takes both "Z" and "+00:00", which process helpers emit interchangeably.
  private Instant instant(String text) {
    try {
      return DateTimeFormatter.ISO_DATE_TIME.parse(text, Instant::from);
    } catch (DateTimeParseException e) {
      throw new CredentialsException(
          "The response from " + source + " has an Expiration that is not an ISO-8601 instant: "
              + text);
    }
  }
}
