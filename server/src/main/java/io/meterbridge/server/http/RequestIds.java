package io.meterbridge.server.http;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Request ids: random (version 4) UUIDs, drawn without the lock of {@link UUID#randomUUID()}. */
final class RequestIds {
  private RequestIds() {}

  static String next() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long most = (random.nextLong() & ~0xF000L) | 0x4000L;                      // version 4
    long least = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L; // IETF variant
    return new UUID(most, least).toString();
  }
}
