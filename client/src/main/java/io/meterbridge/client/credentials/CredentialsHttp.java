package io.meterbridge.client.credentials;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The small HTTP client for credential endpoints: HTTP/1.1, no redirects, short timeouts so that
 * a process not running on EC2 or ECS learns it quickly. Link-local endpoints (IMDS, containers)
 * never go through a proxy; STS and the SSO portal use the JVM's default {@code ProxySelector},
 * as the AWS SDKs' clients for them do.
 */
final class CredentialsHttp {

  /** A status and body; the body may hold secrets and is never put in a message. */
  record Response(int status, String body) {
    boolean ok() {
      return status == 200;
    }
  }

  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final boolean useProxy;
  private volatile HttpClient client;

  CredentialsHttp(Duration connectTimeout, Duration readTimeout) {
    this(connectTimeout, readTimeout, false);
  }

  CredentialsHttp(Duration connectTimeout, Duration readTimeout, boolean useProxy) {
    this.connectTimeout = connectTimeout;
    this.readTimeout = readTimeout;
    this.useProxy = useProxy;
  }

  Response get(URI uri, Map<String, String> headers) {
    return send(HttpRequest.newBuilder(uri).GET(), headers, uri);
  }

  Response put(URI uri, Map<String, String> headers) {
    return send(HttpRequest.newBuilder(uri).PUT(HttpRequest.BodyPublishers.noBody()), headers, uri);
  }

  /** A POST of {@code body}; {@code what} names the call in errors. */
  Response post(URI uri, Map<String, String> headers, byte[] body, String what) {
    return send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(body)),
        headers, uri, what);
  }

  private Response send(HttpRequest.Builder request, Map<String, String> headers, URI uri) {
    return send(request, headers, uri, describe(uri));
  }

  private Response send(HttpRequest.Builder request, Map<String, String> headers, URI uri,
      String what) {
    headers.forEach(request::header);
    request.timeout(readTimeout);
    try {
      // The request timeout stops at the headers; bounding the whole exchange also catches an
      // endpoint that trickles its body.
      HttpResponse<String> response = client()
          .sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
          .get(readTimeout.toMillis() + connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
      return new Response(response.statusCode(), response.body());
    } catch (TimeoutException e) {
      throw new CredentialsException("Timed out calling " + what);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CredentialsException("Interrupted calling " + what, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      String kind = cause instanceof HttpTimeoutException ? "Timed out calling " : "Cannot reach ";
      throw new CredentialsException(kind + what + ": " + cause, cause);
    }
  }

  // One client per provider, built on first use: HttpClient starts a selector thread, which a
  // process that never needs these endpoints should not pay for.
  private HttpClient client() {
    HttpClient c = client;
    if (c == null) {
      synchronized (this) {
        c = client;
        if (c == null) {
          HttpClient.Builder builder = HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(connectTimeout)
              .followRedirects(HttpClient.Redirect.NEVER);
          if (!useProxy) {
            builder.proxy(HttpClient.Builder.NO_PROXY);
          }
          c = builder.build();
          client = c;
        }
      }
    }
    return c;
  }

  /** Scheme, host and port only: container paths carry task-specific ids. */
  static String describe(URI uri) {
    return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
  }
}
