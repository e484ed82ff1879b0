package io.meterbridge.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meterbridge.auth.AwsCredentials;
import io.meterbridge.auth.RequestHeaders;
import io.meterbridge.auth.SigV4Signer;
import io.meterbridge.auth.SignableRequest;
import io.meterbridge.auth.SigningResult;
import io.meterbridge.exception.IncompleteSignatureException;
import io.meterbridge.exception.InvalidSignatureException;
import io.meterbridge.exception.MissingAuthenticationTokenException;
import io.meterbridge.exception.UnrecognizedClientException;
import io.meterbridge.server.Caller;
import io.meterbridge.server.store.AccessKey;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

class SigV4AuthenticatorTest {
  static final Instant NOW = Instant.parse("2026-08-01T10:15:00Z");
  static final AwsCredentials SELLER = AwsCredentials.of("AKIDSELLER", "seller-secret");
  static final byte[] BODY = "{\"RegistrationToken\":\"tok\"}".getBytes(StandardCharsets.UTF_8);

  final SigV4Authenticator authenticator = SigV4Authenticator.builder()
      .regions("us-east-1", "eu-west-1")
      .keys(AccessKeys.of(new AccessKey("AKIDSELLER", "123456789012", "seller-secret")))
      .clock(Clock.fixed(NOW, ZoneOffset.UTC))
      .build();

  /** A request signed as an AWS SDK would sign it, then received as the server sees it. */
  static IncomingRequest signed(AwsCredentials credentials, String region, String service, Instant at, byte[] body) {
    SignableRequest request = SignableRequest.builder().method("POST").target("/")
        .header("Host", "metering.marketplace." + region + ".amazonaws.com")
        .header("Content-Type", "application/x-amz-json-1.1")
        .header("X-Amz-Target", "AWSMPMeteringService.ResolveCustomer")
        .body(BODY)
        .build();
    SigningResult result = SigV4Signer.builder().service(service).region(region).build().sign(request, credentials, at);
    RequestHeaders all = result.request().headers();
    return received(all, body);
  }

  static IncomingRequest received(RequestHeaders all, byte[] body) {
    List<String[]> lines = new ArrayList<>();
    all.forEach((name, value) -> lines.add(new String[] {name, value}));
    return new IncomingRequest("POST", "/", new ListHeaders(lines), body, NOW);
  }

  Caller authenticate(IncomingRequest request) {
    try {
      return authenticator.authenticate(request).toCompletableFuture().join();
    } catch (java.util.concurrent.CompletionException e) {
      throw (RuntimeException) e.getCause();
    }
  }

  @Test
  void validSignature_yieldsTheKeysAccount() {
    Caller caller = authenticate(signed(SELLER, "us-east-1", "aws-marketplace", NOW, BODY));

    assertThat(caller).isEqualTo(new Caller("123456789012", "AKIDSELLER", "AKIDSELLER", "us-east-1"));
  }

  @Test
  void anyConfiguredRegion_isAccepted() {
    assertThat(authenticate(signed(SELLER, "eu-west-1", "aws-marketplace", NOW, BODY)).accountId()).isEqualTo("123456789012");
  }

  @Test
  void noAuthorization_isMissingAuthenticationToken() {
    IncomingRequest request = received(RequestHeaders.of("Host", "x"), BODY);

    assertThatThrownBy(() -> authenticate(request))
        .isInstanceOf(MissingAuthenticationTokenException.class)
        .satisfies(e -> assertThat(((MissingAuthenticationTokenException) e).statusCode()).isEqualTo(403));
  }

  @Test
  void partialAuthorization_isIncompleteSignature() {
    IncomingRequest request = received(RequestHeaders.of("Host", "x", "Authorization",
        "AWS4-HMAC-SHA256 Credential=AKIDSELLER/20260801/us-east-1/aws-marketplace/aws4_request"), BODY);

    assertThatThrownBy(() -> authenticate(request)).isInstanceOf(IncompleteSignatureException.class);
  }

  @Test
  void unknownAccessKey_isUnrecognizedClient() {
    assertThatThrownBy(() -> authenticate(signed(AwsCredentials.of("AKIDNOBODY", "x"), "us-east-1", "aws-marketplace", NOW, BODY)))
        .isInstanceOf(UnrecognizedClientException.class)
        .hasMessageContaining("The security token included in the request is invalid.");
  }

  @Test
  void wrongSecret_isInvalidSignature() {
    assertThatThrownBy(() -> authenticate(signed(AwsCredentials.of("AKIDSELLER", "guess"), "us-east-1", "aws-marketplace", NOW, BODY)))
        .isInstanceOf(InvalidSignatureException.class)
        .hasMessageContaining("The request signature we calculated does not match the signature you provided.");
  }

  @Test
  void bodyChangedAfterSigning_isInvalidSignature() {
    byte[] tampered = "{\"RegistrationToken\":\"other\"}".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> authenticate(signed(SELLER, "us-east-1", "aws-marketplace", NOW, tampered)))
        .isInstanceOf(InvalidSignatureException.class);
  }

  @Test
  void dateSixteenMinutesOld_isSignatureExpired() {
    assertThatThrownBy(() -> authenticate(signed(SELLER, "us-east-1", "aws-marketplace", NOW.minus(Duration.ofMinutes(16)), BODY)))
        .isInstanceOf(InvalidSignatureException.class)
        .hasMessageContaining("Signature expired: 20260801T095900Z is now earlier than 20260801T100000Z");
  }

  @Test
  void dateFourteenMinutesOld_isAccepted() {
    assertThat(authenticate(signed(SELLER, "us-east-1", "aws-marketplace", NOW.minus(Duration.ofMinutes(14)), BODY)))
        .isNotNull();
  }

  @Test
  void regionTheServerDoesNotServe_isInvalidSignature() {
    assertThatThrownBy(() -> authenticate(signed(SELLER, "ap-south-1", "aws-marketplace", NOW, BODY)))
        .isInstanceOf(InvalidSignatureException.class)
        .hasMessageContaining("Credential should be scoped to a valid region, not 'ap-south-1'.");
  }

  @Test
  void anotherServicesScope_isInvalidSignature() {
    assertThatThrownBy(() -> authenticate(signed(SELLER, "us-east-1", "execute-api", NOW, BODY)))
        .isInstanceOf(InvalidSignatureException.class)
        .hasMessageContaining("Credential should be scoped to correct service: 'aws-marketplace'.");
  }

  @Test
  void accessKey_neverShowsItsSecret() {
    assertThat(new AccessKey("AKIDSELLER", "123456789012", "seller-secret").toString()).doesNotContain("seller-secret");
  }

  /** Header lines in order, as the server's Netty adapter presents them. */
  private record ListHeaders(List<String[]> lines) implements IncomingRequest.Headers {
    @Override
    public Optional<String> first(String name) {
      return lines.stream().filter(l -> l[0].equalsIgnoreCase(name)).map(l -> l[1]).findFirst();
    }

    @Override
    public List<String> all(String name) {
      return lines.stream().filter(l -> l[0].equalsIgnoreCase(name)).map(l -> l[1]).toList();
    }

    @Override
    public Set<String> names() {
      Set<String> names = new LinkedHashSet<>();
      lines.forEach(l -> names.add(l[0].toLowerCase(Locale.ROOT)));
      return names;
    }

    @Override
    public void forEach(BiConsumer<String, String> action) {
      lines.forEach(l -> action.accept(l[0], l[1]));
    }
  }
}
