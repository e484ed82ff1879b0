package io.meterbridge.ui;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A dashboard's login sessions, in memory: a restart logs everyone out, and each process has its
 * own (log in again on another). A session is a 256-bit random id, the cookie's value,
 * and a second random value, the CSRF token every form of the session posts back. Sessions end on
 * logout or eight hours after login, whichever is first; real time, not the movable clock of a server
 * or gateway, so shifting that clock does not log the operator out.
 */
public final class Sessions {
  public static final Duration LIFETIME = Duration.ofHours(8);
  /** Beyond this many live sessions the oldest go first: a login loop cannot exhaust memory. */
  private static final int MAX_SESSIONS = 1000;

  public record Session(String id, String csrf, Instant expiresAt) {
    /** Whether {@code given} is this session's CSRF token; constant time. */
    public boolean csrfMatches(String given) {
      return given != null && MessageDigest.isEqual(csrf.getBytes(StandardCharsets.UTF_8),
          given.getBytes(StandardCharsets.UTF_8));
    }
  }

  private final SecureRandom random = new SecureRandom();
  private final Map<String, Session> byId = new ConcurrentHashMap<>();
  private final Clock clock;

  public Sessions(Clock clock) {
    this.clock = clock;
  }

  public Session open() {
    Instant now = clock.instant();
    if (byId.size() >= MAX_SESSIONS) {
      byId.values().removeIf(s -> !s.expiresAt().isAfter(now));
      if (byId.size() >= MAX_SESSIONS) {
        byId.values().stream().min((a, b) -> a.expiresAt().compareTo(b.expiresAt()))
            .ifPresent(oldest -> byId.remove(oldest.id()));
      }
    }
    Session session = new Session(randomValue(), randomValue(), now.plus(LIFETIME));
    byId.put(session.id(), session);
    return session;
  }

  public Optional<Session> find(String id) {
    if (id == null) {
      return Optional.empty();
    }
    Session session = byId.get(id);
    if (session == null) {
      return Optional.empty();
    }
    if (!session.expiresAt().isAfter(clock.instant())) {
      byId.remove(id);
      return Optional.empty();
    }
    return Optional.of(session);
  }

  public void close(String id) {
    byId.remove(id);
  }

  private String randomValue() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
