package io.meterbridge.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meterbridge.auth.AwsCredentials;
import io.meterbridge.exception.InvalidRequestException;
import io.meterbridge.model.ResolveCustomerResponse;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** resolveCustomer's builder overload, and a given executor doing the async client's work. */
class ResolveCustomerBuilderAndExecutorTest {
  private static final AwsCredentials CREDENTIALS = AwsCredentials.of("AKIDEXAMPLE", "secret");
  private static final String CUSTOMER = "{\"CustomerIdentifier\":\"c-1\",\"CustomerAWSAccountId\":"
      + "\"111122223333\",\"ProductCode\":\"prod-saas\"}";

  private final ScriptedServer server = new ScriptedServer();
  private final ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
    Thread t = new Thread(r, "seller-pool");
    t.setDaemon(true);
    return t;
  });

  @AfterEach
  void stop() {
    server.close();
    pool.shutdownNow();
  }

  @Test
  void resolveCustomer_requestBuilder_sendsTheToken() {
    server.enqueue(ScriptedServer.ok(CUSTOMER));
    try (MeteringClient client = MeteringClient.builder().region("us-east-1").credentials(CREDENTIALS)
        .endpointOverride(server.uri()).build()) {
      ResolveCustomerResponse response = client.resolveCustomer(b -> b.registrationToken("reg-token-1"));

      assertThat(response.customerAwsAccountId()).contains("111122223333");
    }
    assertThat(server.lastRequest().bodyText()).isEqualTo("{\"RegistrationToken\":\"reg-token-1\"}");
  }

  @Test
  void resolveCustomer_requestBuilderWithoutToken_isRefusedBeforeSending() {
    try (MeteringClient client = MeteringClient.builder().region("us-east-1").credentials(CREDENTIALS)
        .endpointOverride(server.uri()).build()) {
      assertThatThrownBy(() -> client.resolveCustomer(b -> {}))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("registrationToken: is required");
    }
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void asyncResolveCustomer_requestBuilder_failsTheFutureWhenInvalid() {
    try (MeteringAsyncClient client = MeteringAsyncClient.builder().region("us-east-1")
        .credentials(CREDENTIALS).endpointOverride(server.uri()).build()) {
      assertThatThrownBy(() -> client.resolveCustomer(b -> b.registrationToken("")).join())
          .isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(InvalidRequestException.class);
    }
  }

  @Test
  void asyncClient_givenExecutor_runsTheRetryAndTheJdkClientOnIt() {
    server.enqueue(ScriptedServer.throttled(), ScriptedServer.ok(CUSTOMER));
    AtomicInteger tasks = new AtomicInteger();
    try (MeteringAsyncClient client = MeteringAsyncClient.builder().region("us-east-1")
        .credentials(CREDENTIALS).endpointOverride(server.uri())
        .retryPolicy(r -> r.throttlingBaseDelay(Duration.ofMillis(1)))
        .executor(task -> {
          tasks.incrementAndGet();
          pool.execute(task);
        })
        .build()) {
      client.resolveCustomer(b -> b.registrationToken("t")).join();

      assertThat(server.requests()).hasSize(2);
      assertThat(tasks.get()).isPositive();
    }
  }

  @Test
  void blockingClient_givenHttpClientAndExecutor_sendsOnTheCallersThread() {
    server.enqueue(ScriptedServer.ok(CUSTOMER));
    java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
        .version(java.net.http.HttpClient.Version.HTTP_1_1).executor(pool).build();
    try (MeteringClient client = MeteringClient.builder().region("us-east-1").credentials(CREDENTIALS)
        .endpointOverride(server.uri()).httpClient(http).build()) {
      assertThat(client.resolveCustomer(b -> b.registrationToken("t")).customerIdentifier())
          .contains("c-1");
    }
    assertThat(server.requests()).hasSize(1);
  }
}
