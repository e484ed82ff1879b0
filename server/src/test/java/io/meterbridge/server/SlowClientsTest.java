package io.meterbridge.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.meterbridge.server.auth.Authenticator;
import io.meterbridge.server.http.HttpServer;
import io.meterbridge.server.http.HttpServerConfig;
import io.meterbridge.server.throttle.Throttling;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A slow-header attack on loopback, bounded in connections and time: headers trickled a byte at a
 * time from three addresses (127.0.0.2-4; all of 127/8 is loopback) while a legitimate caller on
 * 127.0.0.1 is served. Connections beyond the per-address cap are reset at accept; the admitted
 * ones get 408 when the request head's deadline passes, however steadily they trickle.
 */
class SlowClientsTest {
  static final int PER_ADDRESS = 20;
  static final Duration HEAD_TIMEOUT = Duration.ofSeconds(1);
  static final List<String> ATTACKERS = List.of("127.0.0.2", "127.0.0.3", "127.0.0.4");

  final CannedService service = new CannedService();
  final List<Socket> sockets = new ArrayList<>();
  HttpServer server;

  @BeforeEach
  void start() {
    server = HttpServer.builder()
        .config(HttpServerConfig.builder().bindAddress("127.0.0.1").port(0).throttling(Throttling.off())
            .requestHeadTimeout(HEAD_TIMEOUT).maxConnections(100).maxConnectionsPerAddress(PER_ADDRESS).build())
        .service(service)
        .authenticator(Authenticator.anyCredentials("123456789012", "us-east-1"))
        .build().start();
  }

  @AfterEach
  void stop() {
    for (Socket socket : sockets) {
      try {
        socket.close();
      } catch (IOException e) {
        // already gone
      }
    }
    server.close();
  }

  @Test
  void slowHeaderFlood_isCappedAndTimedOut_whileHealthAndALegitimateCallerAreServed() throws Exception {
    List<Socket> attackers = new ArrayList<>();
    for (String address : ATTACKERS) {
      for (int i = 0; i < PER_ADDRESS + 10; i++) {
        Socket socket = new Socket();
        sockets.add(socket);
        socket.bind(new InetSocketAddress(address, 0));
        try {
          socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 2_000);
          socket.setSoTimeout(3_000);
          attackers.add(socket);
        } catch (SocketException e) {
          // refused at accept: the reset came before connect() returned
        }
      }
    }
    // Every one starts a request head, then trickles: a byte each 100 ms, never the end of the head.
    byte[] start = "POST / HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);
    List<Socket> trickling = new ArrayList<>();
    for (Socket socket : attackers) {
      try {
        socket.getOutputStream().write(start);
        trickling.add(socket);
      } catch (SocketException e) {
        // refused at accept
      }
    }
    // The server holds exactly the admitted ones; the rest were reset at accept.
    int admitted = ATTACKERS.size() * PER_ADDRESS;
    assertThat(eventually(() -> server.openConnections() == admitted)).as("open: %d", server.openConnections())
        .isTrue();

    // Meanwhile, from 127.0.0.1: the health check and a call, both answered.
    try (RawHttp caller = new RawHttp(server.port())) {
      assertThat(caller.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
      assertThat(caller.send(RawHttp.post("ResolveCustomer", "{\"RegistrationToken\":\"t\"}")).read().status())
          .isEqualTo(200);
    }

    List<Socket> answered = new ArrayList<>();
    long deadline = System.nanoTime() + HEAD_TIMEOUT.multipliedBy(3).toNanos();
    while (System.nanoTime() < deadline) {
      for (Socket socket : trickling) {
        if (answered.contains(socket)) {
          continue;
        }
        try {
          if (socket.getInputStream().available() > 0) {
            answered.add(socket); // stop writing, or the server's reset may discard its answer
          } else {
            socket.getOutputStream().write('a');
          }
        } catch (IOException e) {
          answered.add(socket);
        }
      }
      Thread.sleep(100);
    }

    // However steadily they trickled, the head deadline closed every one of them.
    assertThat(eventually(() -> server.openConnections() == 0)).as("open: %d", server.openConnections()).isTrue();
    int timedOut = 0;
    for (Socket socket : trickling) {
      String answer = answer(socket);
      if (answer.startsWith("HTTP/1.1 408")) {
        assertThat(answer).contains("RequestTimeoutException").contains("The request line and headers were not received");
        timedOut++;
      } else {
        assertThat(answer).as("a connection neither reset nor answered 408").isEqualTo("reset");
      }
    }
    assertThat(timedOut).isPositive();
    try (RawHttp caller = new RawHttp(server.port())) {
      assertThat(caller.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
    }
  }

  private static boolean eventually(java.util.function.BooleanSupplier condition) throws InterruptedException {
    for (int i = 0; i < 50; i++) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(100);
    }
    return condition.getAsBoolean();
  }

  @Test
  void connectionsBeyondTheOverallCap_areResetAtAccept() throws Exception {
    server.close();
    server = HttpServer.builder()
        .config(HttpServerConfig.builder().bindAddress("127.0.0.1").port(0).throttling(Throttling.off())
            .maxConnections(5).maxConnectionsPerAddress(5).build())
        .service(service)
        .authenticator(Authenticator.anyCredentials("123456789012", "us-east-1"))
        .build().start();
    for (int i = 0; i < 8; i++) {
      Socket socket = new Socket();
      sockets.add(socket);
      socket.setSoTimeout(500);
      try {
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 2_000);
      } catch (SocketException e) {
        // refused at accept
      }
    }

    assertThat(eventually(() -> server.openConnections() == 5)).as("open: %d", server.openConnections()).isTrue();
    int reset = 0;
    for (Socket socket : sockets) {
      try {
        if (!socket.isConnected() || socket.getInputStream().read() == -1) {
          reset++;
        }
      } catch (SocketException e) {
        reset++;
      } catch (java.net.SocketTimeoutException e) {
        // admitted and waiting for a request: as it should be
      }
    }
    assertThat(reset).isEqualTo(3);
  }

  @Test
  void connectionThatSendsNothing_isClosedAtTheHeadDeadline() throws Exception {
    Socket socket = new Socket();
    sockets.add(socket);
    socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 2_000);
    socket.setSoTimeout(5_000);

    long started = System.nanoTime();
    assertThat(socket.getInputStream().read()).isEqualTo(-1);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
  }

  @Test
  void keptAliveConnection_waitsForItsNextRequestBeyondTheHeadTimeout() throws Exception {
    try (RawHttp caller = new RawHttp(server.port())) {
      assertThat(caller.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
      Thread.sleep(HEAD_TIMEOUT.multipliedBy(2).toMillis());
      assertThat(caller.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
    }
  }

  /** The server's answer, up to its end; "reset" for a connection refused or reset without one. */
  private static String answer(Socket socket) throws IOException {
    StringBuilder text = new StringBuilder();
    try {
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[512];
      int n;
      while ((n = in.read(buffer)) != -1) {
        text.append(new String(buffer, 0, n, StandardCharsets.US_ASCII));
      }
    } catch (SocketException e) {
      return text.length() == 0 ? "reset" : text.toString();
    }
    return text.length() == 0 ? "reset" : text.toString();
  }
}
