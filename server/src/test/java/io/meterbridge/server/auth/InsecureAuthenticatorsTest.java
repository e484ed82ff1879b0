package io.meterbridge.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.meterbridge.server.Caller;
import io.meterbridge.server.store.AccessKey;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/** The insecure authenticators believe the credential scope, and fall back to the server's first region. */
class InsecureAuthenticatorsTest {
  static final Executor DIRECT = Runnable::run;

  static IncomingRequest request(Map<String, String> headers) {
    IncomingRequest.Headers h = new IncomingRequest.Headers() {
      @Override
      public Optional<String> first(String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
            .findFirst();
      }

      @Override
      public List<String> all(String name) {
        return first(name).stream().toList();
      }

      @Override
      public Set<String> names() {
        return new LinkedHashSet<>(headers.keySet());
      }

      @Override
      public void forEach(BiConsumer<String, String> action) {
        headers.forEach(action);
      }
    };
    return new IncomingRequest("POST", "/", h, new byte[0], Instant.now());
  }

  static Caller caller(Authenticator authenticator, Map<String, String> headers) {
    return authenticator.authenticate(request(headers)).toCompletableFuture().join();
  }

  static final Map<String, String> SIGNED = Map.of("Authorization",
      "AWS4-HMAC-SHA256 Credential=AKIDBUYER/20260801/eu-west-1/aws-marketplace/aws4_request, "
          + "SignedHeaders=host, Signature=abc");

  @Test
  void anyCredentials_takesTheKeyAndRegionOfTheScope_orTheDefaults() {
    Authenticator any = Authenticator.anyCredentials("111122223333", "us-west-2");

    assertThat(caller(any, SIGNED)).isEqualTo(new Caller("111122223333", "AKIDBUYER", "AKIDBUYER", "eu-west-1"));
    assertThat(caller(any, Map.of())).isEqualTo(new Caller("111122223333", "ANONYMOUS", "ANONYMOUS", "us-west-2"));
    assertThat(caller(any, Map.of("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDONLY/, Signature=x")))
        .isEqualTo(new Caller("111122223333", "AKIDONLY", "AKIDONLY", "us-west-2"));
  }

  @Test
  void unverifiedKeys_actAsTheKeysAccount_inTheScopesRegion() {
    Authenticator unverified = new UnverifiedKeyAuthenticator(
        id -> id.equals("AKIDBUYER") ? Optional.of(new AccessKey(id, "444455556666", "s")) : Optional.empty(),
        "111122223333", "us-east-1",
        DIRECT);

    assertThat(caller(unverified, SIGNED)).isEqualTo(new Caller("444455556666", "AKIDBUYER", "AKIDBUYER", "eu-west-1"));
    assertThat(caller(unverified, Map.of()).region()).isEqualTo("us-east-1");
  }
}
