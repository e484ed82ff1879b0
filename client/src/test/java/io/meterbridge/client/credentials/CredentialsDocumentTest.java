package io.meterbridge.client.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meterbridge.auth.AwsCredentials;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CredentialsDocumentTest {

  @Test
  void document_unknownFieldsAndNesting_areSkipped() {
    AwsCredentials credentials = CredentialsDocument.parse("""
        {"RoleArn": "arn:aws:iam::1:role/x", "Nested": {"a": [1, 2, {"b": null}]},
         "AccessKeyId": "ASIA", "SecretAccessKey": "s", "Token": "t",
         "Expiration": "2030-01-01T00:00:00Z", "Extra": null}
        """, "test").credentials("Token");

    assertThat(credentials.expiration()).contains(Instant.parse("2030-01-01T00:00:00Z"));
    assertThat(credentials.sessionToken()).contains("t");
  }

  @Test
  void document_offsetExpiration_isConvertedToAnInstant() {
    AwsCredentials credentials = CredentialsDocument.parse(
        "{\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"s\",\"Expiration\":\"2030-01-01T02:00:00+02:00\"}",
        "test").credentials("Token");

    assertThat(credentials.expiration()).contains(Instant.parse("2030-01-01T00:00:00Z"));
  }

  @Test
  void document_badExpiration_isReported() {
    assertThatThrownBy(() -> CredentialsDocument.parse(
        "{\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"s\",\"Expiration\":\"tomorrow\"}", "test")
        .credentials("Token"))
        .isInstanceOf(CredentialsException.class)
        .hasMessage("The response from test has an Expiration that is not an ISO-8601 instant:"
            + " tomorrow");
  }

  @Test
  void document_notAnObject_isReported() {
    assertThatThrownBy(() -> CredentialsDocument.parse("[\"secret\"]", "test"))
        .isInstanceOf(CredentialsException.class)
        .hasMessage("The response from test is not a JSON object");
  }
}
