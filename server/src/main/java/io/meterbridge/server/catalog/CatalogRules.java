package io.meterbridge.server.catalog;

import io.meterbridge.server.store.AccessKey;
import io.meterbridge.server.store.Platform;
import io.meterbridge.server.store.SigningKey;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * What makes a catalog value valid, whoever writes it: the seed file, the admin API and the
 * configuration all check their input here, so they agree. Each front end words its own messages
 * (the seed file tersely, the admin API with the field's meaning), but none has a rule of its own.
 *
 * <p>Also where new catalog secrets come from: RSA signing keys, access keys and registration
 * tokens, all from one {@link SecureRandom}.
 */
public final class CatalogRules {
  /** The highest {@code PublicKeyVersion} a product may ask a key for (rotation may go further). */
  public static final int MAX_KEY_VERSION = 1000;
  /** The longest a registration token may live: a leap year. */
  public static final long MAX_TOKEN_TTL_SECONDS = 366L * 24 * 3600;

  private static final Pattern REGION = Pattern.compile("[a-z]{2,}(-[a-z]+)+-[0-9]+");
  private static final Pattern ACCOUNT_ID = Pattern.compile("[0-9]{12}");
  // IAM's own alphabet (\w); shorter than IAM's 16 characters so that demo keys read well.
  private static final Pattern ACCESS_KEY_ID = Pattern.compile("[A-Za-z0-9_]{1,128}");
  // Instance ids, task ARNs, pod UIDs or namespace/name: ARN characters, no white space.
  private static final Pattern RESOURCE_ID = Pattern.compile("[A-Za-z0-9_.:/@+=,-]{1,255}");
  // The model's product code alphabet without '/', which would not survive in the admin API's and
  // the key download's URL paths.
  private static final Pattern PRODUCT_CODE = Pattern.compile("[-a-zA-Z0-9=:_.@]{1,255}");
  // The model's LicenseArn pattern.
  private static final Pattern LICENSE_ARN = Pattern.compile(
      "arn:aws[a-zA-Z-]*:[A-Za-z0-9][A-Za-z0-9_/.-]{0,62}:[A-Za-z0-9_/.-]{0,63}:"
          + "[A-Za-z0-9_/.-]{0,63}:[A-Za-z0-9][A-Za-z0-9:_/+=,@.-]{0,1023}");
  private static final int MAX_NAME = 255;
  private static final int MAX_SECRET = 128;
  private static final int MAX_TOKEN = 2048;
  private static final char[] KEY_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private CatalogRules() {}

  /** A region name such as {@code us-east-1}. */
  public static boolean isRegion(String value) {
    return REGION.matcher(value).matches();
  }

  /** A 12-digit AWS account id. */
  public static boolean isAccountId(String value) {
    return ACCOUNT_ID.matcher(value).matches();
  }

  /** 1 to 128 letters, digits or {@code _}. */
  public static boolean isAccessKeyId(String value) {
    return ACCESS_KEY_ID.matcher(value).matches();
  }

  /**
   * The resource an access key stands for: 1 to 255 letters, digits or {@code _.:/@+=,-}, such as
   * {@code i-0abc123}, an ECS task ARN or {@code namespace/pod}.
   */
  public static boolean isResourceId(String value) {
    return RESOURCE_ID.matcher(value).matches();
  }

  /** A platform name ({@link Platform#names()}), in any case. */
  public static boolean isPlatform(String value) {
    return Platform.parse(value).isPresent();
  }

  /** What a platform name must be, for messages. */
  public static final String PLATFORM = "a platform: one of " + Platform.names();

  /** 1 to 128 characters without white space. */
  public static boolean isSecretAccessKey(String value) {
    return !value.isEmpty() && value.length() <= MAX_SECRET && value.chars().noneMatch(Character::isWhitespace);
  }

  /** 1 to 255 letters, digits or {@code -=:_.@}. */
  public static boolean isProductCode(String value) {
    return PRODUCT_CODE.matcher(value).matches();
  }

  /** A license ARN such as {@code arn:aws:license-manager::111122223333:license:l-1}. */
  public static boolean isLicenseArn(String value) {
    return LICENSE_ARN.matcher(value).matches();
  }

  /** 1 to 255 characters, not all white space: a dimension name or a customer identifier. */
  public static boolean isName(String value) {
    return !value.isBlank() && value.length() <= MAX_NAME;
  }

  /** 1 to 2048 characters without white space. */
  public static boolean isRegistrationToken(String value) {
    return !value.isEmpty() && value.length() <= MAX_TOKEN && value.chars().noneMatch(Character::isWhitespace);
  }

  /** A {@code PublicKeyVersion} a product may ask a key for: 1 to {@value #MAX_KEY_VERSION}. */
  public static boolean isKeyVersion(long version) {
    return version >= 1 && version <= MAX_KEY_VERSION;
  }

  /** A registration token lifetime: 1 second to {@value #MAX_TOKEN_TTL_SECONDS} seconds. */
  public static boolean isTokenTtl(long seconds) {
    return seconds >= 1 && seconds <= MAX_TOKEN_TTL_SECONDS;
  }

  /** A fresh RSA 2048 key pair, the kind RegisterUsage signs with. */
  public static KeyPair newRsaKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048, RANDOM);
      return generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("RSA is part of every JDK", e);
    }
  }

  /** A fresh RSA 2048 key pair as version {@code version} of a product's signing key, created {@code now}. */
  public static SigningKey newSigningKey(String productCode, int version, Instant now) {
    KeyPair pair = newRsaKeyPair();
    return SigningKey.builder()
        .productCode(productCode)
        .version(version)
        .privateKey(pair.getPrivate().getEncoded())
        .publicKey(pair.getPublic().getEncoded())
        .createdAt(now)
        .build();
  }

  /** A new access key of {@code accountId}: an id like AWS's ({@code AKIA} and 16 base-32 characters), a 40-character secret. */
  public static AccessKey newAccessKey(String accountId) {
    StringBuilder id = new StringBuilder("AKIA");
    for (int i = 0; i < 16; i++) {
      id.append(KEY_ID_ALPHABET[RANDOM.nextInt(KEY_ID_ALPHABET.length)]);
    }
    byte[] secret = new byte[30];
    RANDOM.nextBytes(secret);
    return new AccessKey(id.toString(), accountId, Base64.getEncoder().encodeToString(secret));
  }

  /** A new registration token: {@code mbt-} and 256 random bits, URL-safe. */
  public static String newRegistrationToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return "mbt-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
