package io.meterbridge.server;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * Random (version 4) UUIDs: MeteringRecordIds and generated client tokens; and request ids, which
 * have the same shape but lead with the time ({@link #requestId()}).
 *
 * <p>Not {@link UUID#randomUUID()}: it draws every id from one shared {@code SecureRandom} under a
 * lock and reads {@code /dev/urandom}, which cost the event loops about 4 % of their time at 25
 * ids per call. Each thread instead keeps a generator with 384 bits of state (L128X256MixRandom),
 * seeded from {@code SecureRandom}, so ids from different threads and processes (several servers
 * on one PostgreSQL) do not collide in practice. Ids are unique, not secret.
 */
public final class RandomUuids {
  private static final RandomGeneratorFactory<RandomGenerator> FACTORY =
      RandomGeneratorFactory.of("L128X256MixRandom");
  private static final SecureRandom SEEDS = new SecureRandom();
  private static final ThreadLocal<RandomGenerator> RANDOM =
      ThreadLocal.withInitial(() -> {
        byte[] seed = new byte[48];
        SEEDS.nextBytes(seed);
        return FACTORY.create(seed);
      });

  private RandomUuids() {}

  /** A new random UUID in its canonical text form. */
  public static String next() {
    RandomGenerator random = RANDOM.get();
    long most = (random.nextLong() & ~0xF000L) | 0x4000L;                                 // version 4
    long least = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L; // IETF variant
    return new UUID(most, least).toString();
  }

  /**
   * A request id: shaped as a version 4 UUID, as AWS's are, but its first 48 bits are the current
   * epoch millisecond and only the remaining 74 bits are random. Why: the audit trail indexes
   * request ids, and random keys would dirty a page of that index for nearly every call (measured:
   * the audit's own writes then slowed the metering database's commits); keys in time order land
   * on the index's last pages. 74 random bits keep ids of the same millisecond apart.
   */
  public static String requestId() {
    RandomGenerator random = RANDOM.get();
    long most = (System.currentTimeMillis() << 16) | (random.nextLong() & 0x0FFFL) | 0x4000L;      // version 4
    long least = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L; // IETF variant
    return new UUID(most, least).toString();
  }
}
