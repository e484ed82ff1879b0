package io.meterbridge.server.auth;

import io.meterbridge.server.store.AccessKey;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the account and secret of an access key id, for {@link SigV4Authenticator}. Called on a
 * network thread for every request: answer from memory (the catalog keeps a cache), never block.
 *
 * <pre>{@code
 * AccessKeys keys = AccessKeys.of(new AccessKey("AKIDEXAMPLE", "123456789012", "secret"));
 * }</pre>
 */
@FunctionalInterface
public interface AccessKeys {
  /** The key with this id; empty when there is none. */
  Optional<AccessKey> find(String accessKeyId);

  /** A fixed set of keys. */
  static AccessKeys of(AccessKey... keys) {
    Map<String, AccessKey> byId = new HashMap<>();
    for (AccessKey key : keys) {
      byId.put(key.accessKeyId(), key);
    }
    Map<String, AccessKey> copy = Map.copyOf(byId);
    return id -> Optional.ofNullable(copy.get(id));
  }
}
