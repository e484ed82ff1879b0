package io.meterbridge.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meterbridge.client.Transport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The socket transport against a raw loopback server that writes exactly the bytes each test
 * scripts, so framing, keep-alive and stale connections can be tested byte for byte.
 */
class SocketTransportTest {
  private static final byte[] HEAD = ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n")
      .getBytes(StandardCharsets.ISO_8859_1);
  private static final byte[] BODY = "{}".getBytes(StandardCharsets.ISO_8859_1);

  /** What to answer to one request: raw bytes, then whether to close the connection. */
  record Answer(String raw, boolean close) {}

  ServerSocket server;
  Thread acceptor;
  final BlockingQueue<Answer> answers = new LinkedBlockingQueue<>();
  final List<String> requests = Collections.synchronizedList(new ArrayList<>());
  final AtomicInteger connections = new AtomicInteger();
  SocketTransport transport;

  @BeforeEach
  void start() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = new Thread(() -> {
      while (!server.isClosed()) {
        try {
          Socket socket = server.accept();
          connections.incrementAndGet();
          Thread t = new Thread(() -> serve(socket));
          t.setDaemon(true);
          t.start();
        } catch (IOException e) {
          return;
        }
      }
    });
    acceptor.setDaemon(true);
    acceptor.start();
    transport = new SocketTransport(URI.create("http://127.0.0.1:" + server.getLocalPort() + "/"),
        Duration.ofSeconds(2), false);
  }

  @AfterEach
  void stop() throws IOException {
    transport.close();
    server.close();
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      while (true) {
        String request = readRequest(in);
        if (request == null) {
          return;
        }
        requests.add(request);
        Answer answer = answers.poll(5, TimeUnit.SECONDS);
        if (answer == null) {
          return;
        }
        out.write(answer.raw().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        if (answer.close()) {
          return;
        }
      }
    } catch (IOException | InterruptedException e) {
      // the test ends the connection
    }
  }

  /** Reads one request with a Content-Length body; null at the end of the connection. */
  private static String readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
          ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    int length = 0;
    for (String line : text.split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).strip());
      }
    }
    byte[] body = in.readNBytes(length);
    return text + new String(body, StandardCharsets.ISO_8859_1);
  }

  private SocketTransport.Response exchange() throws IOException {
    return transport.exchange(HEAD, BODY, SocketTransport.NO_DEADLINE);
  }

  private static String text(SocketTransport.Response r) {
    return new String(r.data, r.offset, r.length, StandardCharsets.UTF_8);
  }

  @Test
  void contentLengthResponse_isReadAndTheConnectionReused() throws IOException {
    answers.add(new Answer("HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\n{\"a\":1}", false));
    answers.add(new Answer("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}", false));

    SocketTransport.Response first = exchange();
    String firstBody = text(first);
    first.close();
    SocketTransport.Response second = exchange();
    String secondBody = text(second);
    second.close();

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(firstBody).isEqualTo("{\"a\":1}");
    assertThat(secondBody).isEqualTo("{}");
    assertThat(connections).hasValue(1);
    assertThat(requests.get(0)).isEqualTo(new String(HEAD, StandardCharsets.ISO_8859_1) + "{}");
  }

  @Test
  void chunkedResponse_isReassembledWithExtensionsAndTrailers() throws IOException {
    answers.add(new Answer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "4;ext=1\r\n{\"a\"\r\n3\r\n:12\r\n1\r\n}\r\n0\r\nX-Trailer: t\r\n\r\n", false));
    answers.add(new Answer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}", false));

    SocketTransport.Response r = exchange();
    String body = text(r);
    r.close();
    SocketTransport.Response next = exchange();
    next.close();

    assertThat(body).isEqualTo("{\"a\":12}");
    assertThat(connections).hasValue(1);
  }

  @Test
  void responseWithoutLength_isReadToTheEndAndTheConnectionNotReused() throws IOException {
    answers.add(new Answer("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n{\"until\":\"eof\"}", true));
    answers.add(new Answer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}", false));

    SocketTransport.Response r = exchange();
    String body = text(r);
    r.close();
    exchange().close();

    assertThat(body).isEqualTo("{\"until\":\"eof\"}");
    assertThat(connections).hasValue(2);
  }

  @Test
  void interimContinue_isSkipped() throws IOException {
    answers.add(new Answer("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}", false));

    SocketTransport.Response r = exchange();

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(text(r)).isEqualTo("{}");
    r.close();
  }

  @Test
  void errorResponse_keepsItsHeadersAndBody() throws IOException {
    answers.add(new Answer("HTTP/1.1 400 Bad Request\r\nx-amzn-ErrorType: ThrottlingException\r\n"
        + "X-Multi: a\r\nx-multi: b\r\nContent-Length: 2\r\n\r\n{}", false));

    SocketTransport.Response r = exchange();
    byte[] body = r.bodyBytes();
    r.close();

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("X-AMZN-ERRORTYPE")).contains("ThrottlingException");
    assertThat(r.headers().allValues("x-multi")).containsExactly("a", "b");
    assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo("{}");
  }

  @Test
  void largeBodyAndLongHeaders_growTheBuffer() throws IOException {
    String big = "x".repeat(100_000);
    String header = "y".repeat(12_000);
    answers.add(new Answer("HTTP/1.1 500 Oops\r\nX-Long: " + header + "\r\nContent-Length: " + big.length()
        + "\r\n\r\n" + big, false));
    answers.add(new Answer("HTTP/1.1 200 OK\r\nContent-Length: 20000\r\n\r\n" + "z".repeat(20_000), false));

    SocketTransport.Response r = exchange();
    String body = new String(r.bodyBytes(), StandardCharsets.ISO_8859_1);
    r.close();
    SocketTransport.Response next = exchange();
    String nextBody = text(next);
    next.close();

    assertThat(body).isEqualTo(big);
    assertThat(r.headers().firstValue("x-long")).contains(header);
    assertThat(nextBody).hasSize(20_000).matches("z+");
  }

  @Test
  void idleConnectionClosedByTheServer_isReplacedTransparently() throws Exception {
    answers.add(new Answer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}", true));
    answers.add(new Answer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}", false));

    exchange().close(); // the server closes after answering, without saying so
    Thread.sleep(100);
    SocketTransport.Response second = exchange();
    second.close();

    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(connections).hasValue(2);
    assertThat(requests).hasSize(2);
  }

  @Test
  void connectionClosedBeforeTheResponseOnANewConnection_fails() {
    answers.add(new Answer("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{}", true));

    assertThatThrownBy(this::exchange).isInstanceOf(IOException.class)
        .hasMessageContaining("before the end of the body");
  }

  @Test
  void malformedStatusLine_fails() {
    answers.add(new Answer("SMTP ready\r\n\r\n", true));

    assertThatThrownBy(this::exchange).isInstanceOf(IOException.class)
        .hasMessageContaining("Malformed HTTP status line");
  }

  @Test
  void headerRules_refuseLineBreaksAndManagedNames() {
    assertThatThrownBy(() -> HeaderRules.check("X-Trace", "a\r\nInjected: 1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HeaderRules.check("Content-Length", "1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("restricted");
    assertThatThrownBy(() -> HeaderRules.check("Bad Name", "v"))
        .isInstanceOf(IllegalArgumentException.class);
    HeaderRules.check("X-Amzn-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793\tok");
  }

  /** A request as the client hands it over. */
  record Request(URI uri, Map<String, String> headers, byte[] body, Duration connectTimeout, Duration timeout)
      implements Transport.Request {
    @Override
    public String method() {
      return "POST";
    }
  }

  private URI uri() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/");
  }

  @Test
  void send_writesTheRequestLineHostHeadersInOrderAndLength() throws Exception {
    answers.add(new Answer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}", false));
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/x-amz-json-1.1");
    headers.put("X-Amz-Target", "AWSMPMeteringService.MeterUsage");

    try (Transport.Response response = transport.send(new Request(uri(), headers, BODY,
        Duration.ofSeconds(2), Duration.ofSeconds(2)))) {
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(StandardCharsets.UTF_8.decode(response.body()).toString()).isEqualTo("{}");
    }
    assertThat(requests.get(0)).isEqualTo("POST / HTTP/1.1\r\nHost: 127.0.0.1:" + server.getLocalPort()
        + "\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: AWSMPMeteringService.MeterUsage"
        + "\r\nContent-Length: 2\r\n\r\n{}");
  }

  @Test
  void send_noResponseWithinTheTimeout_failsWithAnHttpTimeout() {
    // Nothing answers: the server waits for an answer that never comes.
    Request request = new Request(uri(), Map.of(), BODY, Duration.ofSeconds(2), Duration.ofMillis(200));

    assertThatThrownBy(() -> transport.send(request)).isInstanceOf(HttpTimeoutException.class)
        .hasMessage("No complete response from " + uri() + " within 200 ms");
  }

  @Test
  void send_toAnotherEndpoint_isRefused() {
    Request request = new Request(URI.create("http://127.0.0.1:9/"), Map.of(), BODY, Duration.ofSeconds(2),
        Duration.ofSeconds(2));

    assertThatThrownBy(() -> transport.send(request)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("SocketTransport[" + uri() + "] cannot send to http://127.0.0.1:9/");
  }

  @Test
  void connect_firstAddressRefused_triesTheNextOne() throws Exception {
    transport.close();
    // 127.0.0.2 is loopback too, but nothing listens on it: refused at once.
    transport = new SocketTransport(URI.create("http://metering.test:" + server.getLocalPort() + "/"),
        Duration.ofSeconds(2), false, SocketTransport.Options.defaults().withResolver(host ->
            new InetAddress[] {InetAddress.getByName("127.0.0.2"), InetAddress.getLoopbackAddress()}));
    answers.add(new Answer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}", false));

    try (SocketTransport.Response r = exchange()) {
      assertThat(r.status).isEqualTo(200);
    }
  }

  @Test
  void connect_everyAddressRefused_failsWithTheLastError() throws Exception {
    transport.close();
    transport = new SocketTransport(URI.create("http://metering.test:" + server.getLocalPort() + "/"),
        Duration.ofSeconds(2), false, SocketTransport.Options.defaults().withResolver(host ->
            new InetAddress[] {InetAddress.getByName("127.0.0.2"), InetAddress.getByName("127.0.0.3")}));

    assertThatThrownBy(this::exchange).isInstanceOf(java.net.ConnectException.class);
  }

  @Test
  void maxIdleConnectionsZero_opensAConnectionPerExchange() throws Exception {
    transport.close();
    transport = new SocketTransport(URI.create("http://127.0.0.1:" + server.getLocalPort() + "/"),
        Duration.ofSeconds(2), false, new SocketTransport.Options(null, null, 0,
            Duration.ofSeconds(50), InetAddress::getAllByName));
    answers.add(new Answer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}", false));
    answers.add(new Answer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}", false));

    exchange().close();
    exchange().close();

    assertThat(connections.get()).isEqualTo(2);
  }

  @Test
  void maxIdleTimePassed_dropsThePooledConnection() throws Exception {
    transport.close();
    transport = new SocketTransport(URI.create("http://127.0.0.1:" + server.getLocalPort() + "/"),
        Duration.ofSeconds(2), false, new SocketTransport.Options(null, null, 32,
            Duration.ofMillis(1), InetAddress::getAllByName));
    answers.add(new Answer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}", false));
    answers.add(new Answer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}", false));

    exchange().close();
    Thread.sleep(20);
    exchange().close();

    assertThat(connections.get()).isEqualTo(2);
  }
}
