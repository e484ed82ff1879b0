package io.meterbridge.client.internal;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * A client's own HTTP proxy ({@code http://host:port}) and, optionally, the user and password for
 * its Basic authentication. Its {@code toString} leaves the password out.
 *
 * @param uri the proxy, {@code http} with a host and port
 * @param username the proxy user, when the proxy asks for one
 * @param password the proxy password, with the user
 */
public record ProxySetting(URI uri, Optional<String> username, Optional<String> password) {
  /** Checks the components. */
  public ProxySetting {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
  }

  String host() {
    String h = uri.getHost();
    return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
  }

  int port() {
    return uri.getPort() != -1 ? uri.getPort() : 80;
  }

  /** The {@code Proxy-Authorization} value, when a user was given. */
  Optional<String> authorization() {
    if (username.isEmpty()) {
      return Optional.empty();
    }
    String pair = username.get() + ":" + password.orElse("");
    return Optional.of("Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
  }

  @Override
  public String toString() {
    return "ProxySetting[" + uri + username.map(u -> ", user " + u + ", password ****").orElse("") + "]";
  }
}
