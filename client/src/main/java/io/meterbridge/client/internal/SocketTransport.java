package io.meterbridge.client.internal;

import io.meterbridge.client.Transport;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The blocking client's HTTP/1.1 transport: one request and its response on the caller's thread,
 * over a pool of kept-alive sockets, as the AWS SDK's Apache client does.
 *
 * <p>Why not {@code HttpClient.send}: the JDK client is asynchronous inside, so every call costs
 * a selector wake-up and two thread hand-offs (selector thread, worker, caller). On loopback that
 * is over ten times the CPU of the exchange itself (measured: ~670 µs against ~40 µs per call on
 * two busy cores). This class only does what the Metering Service needs: {@code POST} with a
 * {@code Content-Length} body; responses framed by {@code Content-Length}, chunked encoding or the
 * end of the connection; TLS through the JVM's default {@link SSLSocketFactory} with host name
 * verification; no proxies (the client uses {@code java.net.http} when a proxy applies), no
 * redirects, no {@code Expect: 100-continue}. One transport serves one endpoint.
 *
 * <p>A pooled connection idle for more than {@link #VALIDATE_AFTER_IDLE_NANOS} is checked before
 * reuse; a request on a reused connection that fails before the first response byte is sent once
 * more on a new connection (the server closed the idle connection as we wrote).
 *
 * <p>An exchange's deadline ({@link Transport.Request#timeout()}) closes its connection from the
 * {@link Watchdog}, which ends any read or write in progress at once; blocking socket I/O does not
 * answer to interrupts.
 */
final class SocketTransport implements Transport, AutoCloseable {
  private static final long VALIDATE_AFTER_IDLE_NANOS = Duration.ofSeconds(2).toNanos();
  /** The default for how long a connection may sit idle in the pool before it is dropped. */
  static final Duration MAX_IDLE_TIME = Duration.ofSeconds(50);
  /** The default for how many idle connections the pool keeps. */
  static final int MAX_IDLE_CONNECTIONS = 32;
  private static final int MAX_PROXY_HEAD_BYTES = 8 * 1024;

  /** Name resolution, a seam for tests that need a host with several addresses. */
  interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  /**
   * What a client may change about its sockets.
   *
   * @param tlsContext trust for https (a CA bundle), or null for the JVM's default
   * @param proxy the client's own proxy, or null to connect directly
   * @param maxIdleConnections idle connections kept for reuse (0: none)
   * @param maxIdleTime how long an idle connection is kept
   * @param resolver host name to addresses, tried in the order given
   */
  record Options(SSLContext tlsContext, ProxySetting proxy, int maxIdleConnections,
      Duration maxIdleTime, Resolver resolver) {
    static Options defaults() {
      return new Options(null, null, MAX_IDLE_CONNECTIONS, MAX_IDLE_TIME, InetAddress::getAllByName);
    }

    Options withResolver(Resolver resolver) {
      return new Options(tlsContext, proxy, maxIdleConnections, maxIdleTime, resolver);
    }
  }
  private static final int MAX_HEADER_BYTES = 64 * 1024;
  /** Bodies up to this size are read into (and decoded from) the connection's buffer. */
  private static final int MAX_BUFFERED_BODY = 64 * 1024;
  private static final byte[] NO_BYTES = new byte[0];

  private final URI uri;
  /** The path and query of the request line. */
  private final String requestTarget;
  private final String hostHeader;
  private final boolean https;
  private final String host;
  private final int port;
  private final int connectTimeoutMillis;
  private final boolean keepHeaders;
  /** The trust to use for https; the JVM's default when none was configured. */
  private final SSLSocketFactory tlsFactory;
  private final ProxySetting proxy;
  /** "Proxy-Authorization: Basic ...\r\n" for plain http through a proxy; otherwise null. */
  private final String proxyAuthorizationLine;
  private final int maxIdleConnections;
  private final long maxIdleNanos;
  private final Resolver resolver;
  private final ArrayDeque<Connection> idle = new ArrayDeque<>();
  private boolean closed;

  /**
   * @param keepHeaders keep every response's headers (for the wire log); otherwise only those of
   *     responses other than 2xx, the only ones the client reads headers from
   */
  SocketTransport(URI uri, Duration connectTimeout, boolean keepHeaders) {
    this(uri, connectTimeout, keepHeaders, Options.defaults());
  }

  SocketTransport(URI uri, Duration connectTimeout, boolean keepHeaders, Options options) {
    this.keepHeaders = keepHeaders;
    this.tlsFactory = options.tlsContext() == null ? null : options.tlsContext().getSocketFactory();
    this.proxy = options.proxy();
    this.maxIdleConnections = options.maxIdleConnections();
    this.maxIdleNanos = options.maxIdleTime().toNanos();
    this.resolver = options.resolver();
    this.uri = uri;
    this.hostHeader = HeaderRules.host(uri);
    this.https = "https".equalsIgnoreCase(uri.getScheme());
    String path = uri.getRawQuery() == null ? uri.getRawPath() : uri.getRawPath() + "?" + uri.getRawQuery();
    // Plain http through a proxy: the request line names the whole URI (absolute form) and
    // carries the proxy's credentials. https goes through a CONNECT tunnel instead, and the
    // request inside it is the usual one.
    boolean forwarded = proxy != null && !https;
    this.requestTarget = forwarded ? uri.getScheme().toLowerCase(java.util.Locale.ROOT) + "://"
        + hostHeader + path : path;
    this.proxyAuthorizationLine = forwarded && proxy.authorization().isPresent()
        ? "Proxy-Authorization: " + proxy.authorization().get() + "\r\n" : null;
    String h = uri.getHost();
    this.host = h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    this.port = uri.getPort() != -1 ? uri.getPort() : https ? 443 : 80;
    this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, connectTimeout.toMillis()));
  }

  /** Whether requests to {@code uri} go direct, so this transport can carry them. */
  static boolean usable(URI uri) {
    ProxySelector selector = ProxySelector.getDefault();
    if (selector == null) {
      return true;
    }
    try {
      for (Proxy proxy : selector.select(uri)) {
        if (proxy.type() != Proxy.Type.DIRECT) {
          return false;
        }
      }
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Something that cuts an exchange short when its deadline passes, by closing its connection. */
  interface Guard {
    /** Watches {@code connection}; throws if the deadline passed already. */
    void attach(Closeable connection) throws IOException;

    /** Stops watching, before the connection goes back to the pool; false if it was closed. */
    boolean detach();
  }

  /** A guard for exchanges without a deadline. */
  static final Guard NO_DEADLINE = new Guard() {
    @Override
    public void attach(Closeable connection) {}

    @Override
    public boolean detach() {
      return true;
    }
  };

  /**
   * Sends the request to this transport's endpoint and reads the whole response.
   *
   * @throws HttpTimeoutException if the request's timeout passed first
   * @throws IOException if the connection failed, or closed before a complete response
   * @throws IllegalArgumentException if the request goes elsewhere, or a header is not valid HTTP
   */
  @Override
  public Response send(Transport.Request request) throws IOException {
    if (request.uri() != uri && !request.uri().equals(uri)) {
      throw new IllegalArgumentException(this + " cannot send to " + request.uri());
    }
    byte[] head = head(request.method(), request.headers(), request.body().length);
    long timeoutNanos = request.timeout().toNanos();
    Deadline deadline = new Deadline();
    Watchdog.shared().schedule(deadline, System.nanoTime() + timeoutNanos);
    Response response;
    try {
      response = exchange(head, request.body(), deadline);
    } catch (IOException | RuntimeException e) {
      if (deadline.disarm()) {
        throw e;
      }
      HttpTimeoutException timeout = new HttpTimeoutException("No complete response from " + uri
          + " within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
      timeout.initCause(e);
      throw timeout;
    }
    deadline.disarm();
    return response;
  }

  /** The request line and headers, checked as {@code HttpRequest.Builder} checks them. */
  private byte[] head(String method, Map<String, String> headers, int bodyLength) {
    String length = Integer.toString(bodyLength);
    int size = method.length() + 1 + requestTarget.length() + 17 + hostHeader.length() + 2 + 16
        + length.length() + 4;
    if (proxyAuthorizationLine != null) {
      size += proxyAuthorizationLine.length();
    }
    for (Map.Entry<String, String> header : headers.entrySet()) {
      HeaderRules.check(header.getKey(), header.getValue());
      size += header.getKey().length() + 2 + header.getValue().length() + 2;
    }
    byte[] head = new byte[size];
    int at = put(head, 0, method);
    at = put(head, at, " ");
    at = put(head, at, requestTarget);
    at = put(head, at, " HTTP/1.1\r\nHost: ");
    at = put(head, at, hostHeader);
    at = put(head, at, "\r\n");
    if (proxyAuthorizationLine != null) {
      at = put(head, at, proxyAuthorizationLine);
    }
    for (Map.Entry<String, String> header : headers.entrySet()) {
      at = put(head, at, header.getKey());
      at = put(head, at, ": ");
      at = put(head, at, header.getValue());
      at = put(head, at, "\r\n");
    }
    at = put(head, at, "Content-Length: ");
    at = put(head, at, length);
    put(head, at, "\r\n\r\n");
    return head;
  }

  /** Copies Latin-1 text (checked by {@link HeaderRules}) into {@code target} at {@code at}. */
  private static int put(byte[] target, int at, String text) {
    for (int i = 0; i < text.length(); i++) {
      target[at++] = (byte) text.charAt(i);
    }
    return at;
  }

  /**
   * Sends {@code head} (request line and headers, ending with the blank line) and {@code body},
   * and reads the whole response.
   *
   * @throws IOException if the connection fails, or closes before a complete response
   */
  Response exchange(byte[] head, byte[] body, Guard guard) throws IOException {
    Connection c = pooled();
    boolean reused = c != null;
    if (c == null) {
      c = connect(guard);
    }
    while (true) {
      guard.attach(c);
      try {
        c.write(head, body);
        Response response = c.read(keepHeaders);
        response.bind(this, c, guard);
        return response;
      } catch (RuntimeException e) {
        c.close();
        throw e;
      } catch (IOException e) {
        c.close();
        if (!reused || c.receivedAny) {
          throw e;
        }
        // The server closed the idle connection while we were writing: once more, on a new one.
        reused = false;
        c = connect(guard);
      }
    }
  }

  private Connection pooled() {
    while (true) {
      Connection c;
      synchronized (this) {
        c = idle.pollFirst();
      }
      if (c == null) {
        return null;
      }
      long idleNanos = System.nanoTime() - c.idleSince;
      if (idleNanos > maxIdleNanos || (idleNanos > VALIDATE_AFTER_IDLE_NANOS && c.stale())) {
        c.close();
        continue;
      }
      return c;
    }
  }

  private void release(Connection c) {
    c.idleSince = System.nanoTime();
    boolean keep;
    synchronized (this) {
      keep = !closed && idle.size() < maxIdleConnections;
      if (keep) {
        idle.addFirst(c);
      }
    }
    if (!keep) {
      c.close();
    }
  }

  /**
   * A new connection: to each address of the host (or of the proxy) in the resolver's order until
   * one accepts, each within the connect timeout; then the CONNECT tunnel when a proxy carries
   * https; then TLS, checking the endpoint's name.
   */
  private Connection connect(Guard guard) throws IOException {
    synchronized (this) {
      if (closed) {
        throw new IOException("closed");
      }
    }
    String connectHost = proxy != null ? proxy.host() : host;
    int connectPort = proxy != null ? proxy.port() : port;
    InetAddress[] addresses = resolver.resolve(connectHost);
    Socket socket = null;
    IOException last = null;
    for (InetAddress address : addresses) {
      Socket candidate = new Socket();
      guard.attach(candidate);
      try {
        candidate.setTcpNoDelay(true);
        candidate.setKeepAlive(true);
        candidate.connect(new InetSocketAddress(address, connectPort), connectTimeoutMillis);
        socket = candidate;
        break;
      } catch (SocketTimeoutException e) {
        closeQuietly(candidate);
        last = new java.net.http.HttpConnectTimeoutException("HTTP connect timed out");
        last.addSuppressed(e);
      } catch (IOException e) {
        closeQuietly(candidate);
        if (last != null) {
          e.addSuppressed(last);
        }
        last = e;
      }
    }
    if (socket == null) {
      throw last != null ? last : new UnknownHostException(connectHost + ": no addresses");
    }
    try {
      if (proxy != null && https) {
        socket.setSoTimeout(connectTimeoutMillis);
        tunnel(socket);
        socket.setSoTimeout(0);
      }
      if (https) {
        // SSLContext.getDefault(), not SSLSocketFactory.getDefault(): the latter is fixed at its first
        // use in the JVM, so a default context set later (SSLContext.setDefault) would be ignored.
        SSLSocketFactory factory = tlsFactory != null ? tlsFactory : defaultTls();
        SSLSocket tls = (SSLSocket) factory.createSocket(socket, host, port, true);
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        tls.setSSLParameters(parameters);
        guard.attach(tls);
        socket.setSoTimeout(connectTimeoutMillis);
        tls.startHandshake();
        socket.setSoTimeout(0);
        socket = tls;
      }
    } catch (SocketTimeoutException e) {
      closeQuietly(socket);
      throw new java.net.http.HttpConnectTimeoutException("HTTP connect timed out");
    } catch (IOException | RuntimeException e) {
      closeQuietly(socket);
      throw e;
    }
    return new Connection(socket);
  }

  /** Asks the proxy for a tunnel to the endpoint; returns once it answered 2xx. */
  private void tunnel(Socket socket) throws IOException {
    String authority = hostHeader.indexOf(':') >= 0 && !hostHeader.endsWith("]") ? hostHeader
        : hostHeader + ":" + port;
    StringBuilder request = new StringBuilder(128).append("CONNECT ").append(authority)
        .append(" HTTP/1.1\r\nHost: ").append(authority).append("\r\n");
    if (proxy.authorization().isPresent()) {
      request.append("Proxy-Authorization: ").append(proxy.authorization().get()).append("\r\n");
    }
    request.append("\r\n");
    OutputStream out = socket.getOutputStream();
    out.write(request.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    out.flush();
    // Read the answer's head byte by byte: nothing of the tunnel's own bytes may be consumed.
    InputStream in = socket.getInputStream();
    StringBuilder head = new StringBuilder(128);
    while (!(head.length() >= 4 && head.charAt(head.length() - 1) == '\n'
        && head.charAt(head.length() - 3) == '\n')) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("The proxy " + proxy.uri() + " closed the connection before answering CONNECT");
      }
      if (head.length() >= MAX_PROXY_HEAD_BYTES) {
        throw new IOException("The proxy " + proxy.uri() + " answered CONNECT with a head over "
            + MAX_PROXY_HEAD_BYTES + " bytes");
      }
      head.append((char) b);
    }
    int lineEnd = head.indexOf("\r\n");
    String statusLine = head.substring(0, lineEnd < 0 ? head.length() : lineEnd);
    String[] parts = statusLine.split(" ", 3);
    int status = parts.length >= 2 && parts[0].startsWith("HTTP/") ? parseStatus(parts[1]) : -1;
    if (status / 100 != 2) {
      throw new IOException("The proxy " + proxy.uri() + " refused the tunnel to " + authority + ": "
          + statusLine + (status == 407 ? (proxy.username().isPresent()
              ? " (check the proxy user and password)" : " (the proxy wants a user and password)") : ""));
    }
  }

  private static int parseStatus(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  @Override
  public void close() {
    List<Connection> toClose;
    synchronized (this) {
      closed = true;
      toClose = new ArrayList<>(idle);
      idle.clear();
    }
    for (Connection c : toClose) {
      c.close();
    }
  }

  @Override
  public String toString() {
    return "SocketTransport[" + uri + "]";
  }

  static void closeQuietly(Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      // nothing left to do with it
    }
  }

  /**
   * A response read in full. Its body may still sit in the connection's buffer ({@link #data},
   * {@link #offset}, {@link #length}): read it, then {@link #close()} the response, which hands
   * the connection back to the pool; {@link #bodyBytes()} copies it out.
   */
  static final class Response implements Transport.Response {
    final int status;
    final byte[] data;
    final int offset;
    final int length;
    /** The header lines, CRLF-separated, as received (ISO-8859-1); parsed only if asked for. */
    private final String headerBlock;
    private final boolean reusable;
    private HttpHeaders headers;
    private byte[] body;
    private SocketTransport transport;
    private Connection connection;
    private Guard guard;

    Response(int status, String headerBlock, byte[] data, int offset, int length, boolean reusable) {
      this.status = status;
      this.headerBlock = headerBlock;
      this.data = data;
      this.offset = offset;
      this.length = length;
      this.reusable = reusable;
    }

    void bind(SocketTransport transport, Connection connection, Guard guard) {
      this.transport = transport;
      this.connection = connection;
      this.guard = guard;
    }

    @Override
    public int statusCode() {
      return status;
    }

    /** The body where it lies, in the connection's buffer until {@link #close()}. */
    @Override
    public ByteBuffer body() {
      return ByteBuffer.wrap(data, offset, length);
    }

    /** The body in an array of its own. */
    byte[] bodyBytes() {
      byte[] b = body;
      if (b == null) {
        b = offset == 0 && length == data.length ? data : Arrays.copyOfRange(data, offset, offset + length);
        body = b;
      }
      return b;
    }

    /** Returns the connection to the pool (or closes it); the body's bytes are not valid after. */
    @Override
    public void close() {
      Connection c = connection;
      if (c == null) {
        return;
      }
      connection = null;
      if (reusable && guard.detach()) {
        transport.release(c);
      } else {
        c.close();
      }
    }

    @Override
    public HttpHeaders headers() {
      HttpHeaders h = headers;
      if (h == null) {
        Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        int start = 0;
        while (start < headerBlock.length()) {
          int end = headerBlock.indexOf("\r\n", start);
          if (end < 0) {
            end = headerBlock.length();
          }
          int colon = headerBlock.indexOf(':', start);
          if (colon > start && colon < end) {
            String name = headerBlock.substring(start, colon).strip();
            String value = headerBlock.substring(colon + 1, end).strip();
            map.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
          }
          start = end + 2;
        }
        h = HttpHeaders.of(map, (name, value) -> true);
        headers = h;
      }
      return h;
    }
  }

  /** One socket with its buffers. Used by one thread at a time. */
  private static final class Connection implements Closeable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private byte[] buffer = new byte[8192];
    private final byte[] outBuffer = new byte[16 * 1024];
    private int pos;
    private int limit;
    long idleSince;
    boolean receivedAny;

    Connection(Socket socket) throws IOException {
      this.socket = socket;
      this.in = socket.getInputStream();
      this.out = socket.getOutputStream();
    }

    /** Whether the server closed the idle connection (or sent something unasked). */
    boolean stale() {
      if (pos < limit) {
        return true;
      }
      pos = 0;
      limit = 0;
      try {
        socket.setSoTimeout(1);
        try {
          return in.read(buffer, 0, 1) != 0;
        } finally {
          socket.setSoTimeout(0);
        }
      } catch (SocketTimeoutException e) {
        return false;
      } catch (IOException e) {
        return true;
      }
    }

    void write(byte[] head, byte[] body) throws IOException {
      receivedAny = false;
      if (head.length + body.length <= outBuffer.length) {
        // One write: one TCP segment for small requests, however the server acknowledges.
        System.arraycopy(head, 0, outBuffer, 0, head.length);
        System.arraycopy(body, 0, outBuffer, head.length, body.length);
        out.write(outBuffer, 0, head.length + body.length);
      } else {
        out.write(head);
        out.write(body);
      }
      out.flush();
    }

    Response read(boolean keepHeaders) throws IOException {
      if (pos == limit) {
        pos = 0;
        limit = 0;
      }
      while (true) {
        int lineEnd = line();
        receivedAny = true;
        // "HTTP/1.1 200 OK"
        if (lineEnd - pos < 12 || buffer[pos] != 'H' || buffer[pos + 8] != ' ') {
          throw new IOException("Malformed HTTP status line: "
              + new String(buffer, pos, Math.min(lineEnd - pos, 80), StandardCharsets.ISO_8859_1));
        }
        boolean http10 = buffer[pos + 7] == '0';
        int status = digit(pos + 9) * 100 + digit(pos + 10) * 10 + digit(pos + 11);
        pos = lineEnd + 2;
        int headerStart = pos;
        int blockEnd;
        long contentLength = -1;
        boolean chunked = false;
        boolean close = http10;
        while (true) {
          int end = lineLocal(headerStart);
          headerStart = blockStart;
          if (end == pos) {
            blockEnd = end;
            pos = end + 2;
            break;
          }
          int colon = indexOf(':', pos, end);
          if (colon > 0) {
            if (nameIs(pos, colon, "content-length")) {
              contentLength = parseLength(colon + 1, end);
            } else if (nameIs(pos, colon, "transfer-encoding")) {
              chunked = valueContains(colon + 1, end, "chunked");
            } else if (nameIs(pos, colon, "connection")) {
              if (valueContains(colon + 1, end, "close")) {
                close = true;
              } else if (valueContains(colon + 1, end, "keep-alive")) {
                close = false;
              }
            }
          }
          pos = end + 2;
        }
        String block = keepHeaders || status / 100 != 2
            ? new String(buffer, headerStart, blockEnd - headerStart, StandardCharsets.ISO_8859_1) : "";
        if (status >= 100 && status < 200 && status != 101) {
          continue; // an interim response: the real one follows
        }
        boolean reusable = !close;
        if (status == 204 || status == 304) {
          return new Response(status, block, NO_BYTES, 0, 0, reusable);
        }
        byte[] body;
        if (chunked) {
          body = readChunked();
        } else if (contentLength >= 0) {
          if (contentLength > Integer.MAX_VALUE - 16) {
            throw new IOException("Response body too large: " + contentLength);
          }
          int length = (int) contentLength;
          if (length <= MAX_BUFFERED_BODY) {
            // Read into the connection's buffer: the JSON is decoded from there, not copied.
            int start = bodyInBuffer(length);
            return new Response(status, block, buffer, start, length, reusable);
          }
          body = new byte[length];
          readFully(body);
        } else {
          body = readToEnd();
          reusable = false;
        }
        return new Response(status, block, body, 0, body.length, reusable);
      }
    }

    private int blockStart;

    /** Reads the next {@code length} bytes into the buffer, growing it if needed; their start. */
    private int bodyInBuffer(int length) throws IOException {
      if (buffer.length - pos < length) {
        int buffered = limit - pos;
        byte[] target = buffer.length >= length ? buffer : new byte[Math.max(length, buffer.length * 2)];
        System.arraycopy(buffer, pos, target, 0, buffered);
        buffer = target;
        limit = buffered;
        pos = 0;
      }
      int start = pos;
      while (limit - start < length) {
        int n = in.read(buffer, limit, buffer.length - limit);
        if (n < 0) {
          throw new EOFException("Connection closed " + (length - (limit - start))
              + " bytes before the end of the body");
        }
        limit += n;
      }
      pos = start + length;
      return start;
    }

    private int digit(int at) throws IOException {
      int d = buffer[at] - '0';
      if (d < 0 || d > 9) {
        throw new IOException("Malformed HTTP status code");
      }
      return d;
    }

    /** Makes a whole line available from {@code pos}; returns the index of its CR. */
    private int line() throws IOException {
      return lineLocal(pos);
    }

    /**
     * Makes a whole line available from {@code pos}, compacting the buffer if needed while
     * keeping {@code keepFrom} (the start of the header block) in it; the line's CR index.
     */
    private int lineLocal(int keepFrom) throws IOException {
      if (keepFrom > pos) {
        keepFrom = pos;
      }
      int scan = pos;
      while (true) {
        for (int i = scan; i + 1 < limit; i++) {
          if (buffer[i] == '\r' && buffer[i + 1] == '\n') {
            blockStart = keepFrom;
            return i;
          }
        }
        scan = Math.max(pos, limit - 1);
        if (limit == buffer.length) {
          if (keepFrom == 0) {
            if (buffer.length >= MAX_HEADER_BYTES) {
              throw new IOException("Response headers longer than " + MAX_HEADER_BYTES + " bytes");
            }
            buffer = java.util.Arrays.copyOf(buffer, buffer.length * 2);
          }
          int shift = keepFrom;
          System.arraycopy(buffer, shift, buffer, 0, limit - shift);
          limit -= shift;
          pos -= shift;
          scan -= shift;
          keepFrom = 0;
        }
        int n = in.read(buffer, limit, buffer.length - limit);
        if (n < 0) {
          throw new EOFException("Connection closed before a complete response");
        }
        // From the first byte on, the server has seen the request: never send it again unasked.
        receivedAny = true;
        limit += n;
      }
    }

    private int indexOf(char c, int from, int to) {
      for (int i = from; i < to; i++) {
        if (buffer[i] == c) {
          return i;
        }
      }
      return -1;
    }

    private boolean nameIs(int from, int to, String lowerName) {
      while (to > from && (buffer[to - 1] == ' ' || buffer[to - 1] == '\t')) {
        to--;
      }
      if (to - from != lowerName.length()) {
        return false;
      }
      for (int i = 0; i < lowerName.length(); i++) {
        int b = buffer[from + i];
        if (b >= 'A' && b <= 'Z') {
          b += 'a' - 'A';
        }
        if (b != lowerName.charAt(i)) {
          return false;
        }
      }
      return true;
    }

    private boolean valueContains(int from, int to, String lowerToken) {
      int n = lowerToken.length();
      for (int i = from; i + n <= to; i++) {
        int j = 0;
        while (j < n) {
          int b = buffer[i + j];
          if (b >= 'A' && b <= 'Z') {
            b += 'a' - 'A';
          }
          if (b != lowerToken.charAt(j)) {
            break;
          }
          j++;
        }
        if (j == n) {
          return true;
        }
      }
      return false;
    }

    private long parseLength(int from, int to) throws IOException {
      long value = 0;
      boolean any = false;
      for (int i = from; i < to; i++) {
        byte b = buffer[i];
        if (b >= '0' && b <= '9') {
          value = value * 10 + (b - '0');
          any = true;
          if (value > Integer.MAX_VALUE) {
            throw new IOException("Response body too large");
          }
        } else if (b != ' ' && b != '\t') {
          throw new IOException("Malformed Content-Length");
        }
      }
      if (!any) {
        throw new IOException("Malformed Content-Length");
      }
      return value;
    }

    private void readFully(byte[] target) throws IOException {
      readFully(target, 0, target.length);
    }

    private void readFully(byte[] target, int offset, int length) throws IOException {
      int buffered = Math.min(limit - pos, length);
      System.arraycopy(buffer, pos, target, offset, buffered);
      pos += buffered;
      int done = buffered;
      while (done < length) {
        int n = in.read(target, offset + done, length - done);
        if (n < 0) {
          throw new EOFException("Connection closed " + (length - done) + " bytes before the end of the body");
        }
        done += n;
      }
    }

    private byte[] readChunked() throws IOException {
      byte[] body = new byte[0];
      int size = 0;
      while (true) {
        int end = line();
        long chunk = 0;
        boolean any = false;
        for (int i = pos; i < end; i++) {
          int b = buffer[i];
          int d = b >= '0' && b <= '9' ? b - '0' : b >= 'a' && b <= 'f' ? b - 'a' + 10
              : b >= 'A' && b <= 'F' ? b - 'A' + 10 : -1;
          if (d < 0) {
            if (b == ';' || b == ' ' || b == '\t') {
              break;
            }
            throw new IOException("Malformed chunk size");
          }
          chunk = chunk * 16 + d;
          any = true;
          if (chunk > Integer.MAX_VALUE - 16 - size) {
            throw new IOException("Response body too large");
          }
        }
        if (!any) {
          throw new IOException("Malformed chunk size");
        }
        pos = end + 2;
        if (chunk == 0) {
          // Trailers, then the blank line.
          while (true) {
            int trailerEnd = line();
            boolean blank = trailerEnd == pos;
            pos = trailerEnd + 2;
            if (blank) {
              return size == body.length ? body : java.util.Arrays.copyOf(body, size);
            }
          }
        }
        if (size + chunk > body.length) {
          body = java.util.Arrays.copyOf(body, (int) Math.max(size + chunk, Math.min(
              (long) Integer.MAX_VALUE - 16, body.length * 2L)));
        }
        readFully(body, size, (int) chunk);
        size += (int) chunk;
        int crlf = line();
        if (crlf != pos) {
          throw new IOException("Malformed chunk end");
        }
        pos = crlf + 2;
      }
    }

    private byte[] readToEnd() throws IOException {
      byte[] body = java.util.Arrays.copyOfRange(buffer, pos, Math.max(pos, limit));
      int size = body.length;
      pos = limit;
      while (true) {
        if (size == body.length) {
          body = java.util.Arrays.copyOf(body, Math.max(1024, size * 2));
        }
        int n = in.read(body, size, body.length - size);
        if (n < 0) {
          return java.util.Arrays.copyOf(body, size);
        }
        size += n;
      }
    }

    @Override
    public void close() {
      closeQuietly(socket);
    }
  }

  /**
   * Closes an exchange's connection at its deadline, which ends any read or write in progress.
   * {@link #disarm} after the exchange says whether that happened.
   */
  private static final class Deadline extends Watchdog.Task implements Guard {
    private Closeable target;
    private int state; // 0 armed, 1 fired, 2 disarmed; guarded by this

    @Override
    synchronized void fire() {
      if (state == 0) {
        state = 1;
        if (target != null) {
          closeQuietly(target);
        }
      }
    }

    @Override
    public synchronized void attach(Closeable connection) throws IOException {
      if (state == 1) {
        closeQuietly(connection);
        throw new SocketTimeoutException("The exchange's deadline passed");
      }
      target = connection;
    }

    @Override
    public synchronized boolean detach() {
      target = null;
      return state != 1;
    }

    /** False if the deadline passed. */
    boolean disarm() {
      cancel();
      synchronized (this) {
        target = null;
        if (state == 1) {
          return false;
        }
        state = 2;
        return true;
      }
    }
  }

  private static SSLSocketFactory defaultTls() throws IOException {
    try {
      return SSLContext.getDefault().getSocketFactory();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IOException("the JVM has no default TLS context: " + e.getMessage(), e);
    }
  }
}
