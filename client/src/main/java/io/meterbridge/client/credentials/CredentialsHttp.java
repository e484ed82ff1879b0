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
 * The small HTTP client for link-local credential endpoints: HTTP/1.1, no proxy, no redirects,
 * short timeouts so that a process not running on EC2 or ECS learns it quickly.
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
  private volatile HttpClient client;

  CredentialsHttp(Duration connectTimeout, Duration readTimeout) {
    this.connectTimeout = connectTimeout;
    this.readTimeout = readTimeout;
  }

  Response get(URI uri, Map<String, String> headers) {
    return send(HttpRequest.newBuilder(uri).GET(), headers, uri);
  }

  Response put(URI uri, Map<String, String> headers) {
    return send(HttpRequest.newBuilder(uri).PUT(HttpRequest.BodyPublishers.noBody()), headers, uri);
  }

  private Response send(HttpRequest.Builder request, Map<String, String> headers, URI uri) {
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
      throw new CredentialsException("Timed out calling " + describe(uri));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CredentialsException("Interrupted calling " + describe(uri), e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      String what = cause instanceof HttpTimeoutException ? "Timed out calling " : "Cannot reach ";
      throw new CredentialsException(what + describe(uri) + ": " + cause, cause);
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
          c = HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(connectTimeout)
              .followRedirects(HttpClient.Redirect.NEVER)
              .proxy(HttpClient.Builder.NO_PROXY)
              .build();
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
