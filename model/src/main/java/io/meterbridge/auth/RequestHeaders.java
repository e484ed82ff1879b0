package io.meterbridge.auth;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Immutable HTTP request headers: multi-valued, in the order given, names compared ignoring ASCII
 * case. Repeated names stay separate entries because SigV4 joins their values in order.
 *
 * <p>Stored as two flat arrays so that a Netty or {@code java.net.http} request converts with one
 * pass and no per-header objects.
 *
 * <pre>{@code
 * RequestHeaders headers = RequestHeaders.builder()
 *     .add("Host", "metering.marketplace.us-east-1.amazonaws.com")
 *     .add("Content-Type", "application/x-amz-json-1.1")
 *     .build();
 * headers.firstValue("host"); // Optional[metering.marketplace.us-east-1.amazonaws.com]
 * }</pre>
 */
public final class RequestHeaders {

  private static final RequestHeaders EMPTY = new RequestHeaders(new String[0], new String[0]);

  private final String[] names;
  private final String[] values;

  private RequestHeaders(String[] names, String[] values) {
    this.names = names;
    this.values = values;
  }

  /**
   * No headers.
   *
   * <pre>{@code
   * RequestHeaders.of().size(); // 0
   * }</pre>
   */
  public static RequestHeaders of() {
    return EMPTY;
  }

  /**
   * Headers from alternating names and values.
   *
   * <pre>{@code
   * RequestHeaders.of("Host", "example.amazonaws.com", "X-Amz-Target", "AWSMPMeteringService.MeterUsage");
   * }</pre>
   *
   * @throws IllegalArgumentException if the count is odd or a name is not a header token
   */
  public static RequestHeaders of(String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("names and values must alternate; got an odd count");
    }
    Builder builder = builder();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      builder.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return builder.build();
  }

  /**
   * An empty builder.
   *
   * <pre>{@code
   * RequestHeaders.builder().add("Host", "example.amazonaws.com").build();
   * }</pre>
   */
  public static Builder builder() {
    return new Builder(8);
  }

  /**
   * A builder holding these headers, to add or remove some.
   *
   * <pre>{@code
   * RequestHeaders retried = headers.toBuilder().remove("Authorization").build();
   * }</pre>
   */
  public Builder toBuilder() {
    Builder builder = new Builder(names.length + 4);
    System.arraycopy(names, 0, builder.names, 0, names.length);
    System.arraycopy(values, 0, builder.values, 0, values.length);
    builder.size = names.length;
    return builder;
  }

  /**
   * The number of entries, counting repeated names separately.
   *
   * <pre>{@code
   * RequestHeaders.of("A", "1", "a", "2").size(); // 2
   * }</pre>
   */
  public int size() {
    return names.length;
  }

  /**
   * The name of entry {@code index}, as given.
   *
   * <pre>{@code
   * for (int i = 0; i < headers.size(); i++) nettyHeaders.add(headers.name(i), headers.value(i));
   * }</pre>
   */
  public String name(int index) {
    return names[index];
  }

  /**
   * The value of entry {@code index}, as given.
   *
   * <pre>{@code
   * headers.value(0);
   * }</pre>
   */
  public String value(int index) {
    return values[index];
  }

  /**
   * The first value of {@code name}, ignoring case.
   *
   * <pre>{@code
   * headers.firstValue("x-amz-date").map(AmzDate::parse);
   * }</pre>
   */
  public Optional<String> firstValue(String name) {
    for (int i = 0; i < names.length; i++) {
      if (nameEquals(names[i], name)) {
        return Optional.of(values[i]);
      }
    }
    return Optional.empty();
  }

  /**
   * All values of {@code name}, ignoring case, in order.
   *
   * <pre>{@code
   * RequestHeaders.of("A", "1", "a", "2").values("A"); // [1, 2]
   * }</pre>
   */
  public List<String> values(String name) {
    List<String> found = new ArrayList<>(2);
    for (int i = 0; i < names.length; i++) {
      if (nameEquals(names[i], name)) {
        found.add(values[i]);
      }
    }
    return List.copyOf(found);
  }

  /**
   * Whether any entry has {@code name}, ignoring case.
   *
   * <pre>{@code
   * headers.contains("host");
   * }</pre>
   */
  public boolean contains(String name) {
    for (String n : names) {
      if (nameEquals(n, name)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Calls {@code action} with each name and value, in order.
   *
   * <pre>{@code
   * signed.addedHeaders().forEach(httpRequestBuilder::header);
   * }</pre>
   */
  public void forEach(BiConsumer<? super String, ? super String> action) {
    for (int i = 0; i < names.length; i++) {
      action.accept(names[i], values[i]);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RequestHeaders other
        && Arrays.equals(names, other.names) && Arrays.equals(values, other.values);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(names) + Arrays.hashCode(values);
  }

  /**
   * Names and values, with the credentials-bearing ones masked so requests are safe to log.
   *
   * <pre>{@code
   * RequestHeaders.of("Authorization", "AWS4-HMAC-SHA256 ...").toString(); // "[Authorization: ***]"
   * }</pre>
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < names.length; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      boolean secret = nameEquals(names[i], SigV4.AUTHORIZATION)
          || nameEquals(names[i], SigV4.X_AMZ_SECURITY_TOKEN);
      sb.append(names[i]).append(": ").append(secret ? "***" : values[i]);
    }
    return sb.append(']').toString();
  }

  /** ASCII case-insensitive equality; header names are ASCII tokens, so locale rules must not apply. */
  static boolean nameEquals(String a, String b) {
    int n = a.length();
    if (n != b.length()) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y && lower(x) != lower(y)) {
        return false;
      }
    }
    return true;
  }

  /** {@code name} in ASCII lower case, the same instance when it already is. */
  static String lowerCase(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        char[] chars = name.toCharArray();
        for (int j = i; j < chars.length; j++) {
          chars[j] = lower(chars[j]);
        }
        return new String(chars);
      }
    }
    return name;
  }

  private static char lower(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
  }

  /**
   * Collects headers. Not thread-safe; {@link #build()} copies, so a builder can be reused.
   *
   * <pre>{@code
   * RequestHeaders headers = RequestHeaders.builder().add("Host", "h").add("A", "1").remove("a").build();
   * }</pre>
   */
  public static final class Builder {
    private String[] names;
    private String[] values;
    private int size;

    private Builder(int capacity) {
      names = new String[capacity];
      values = new String[capacity];
    }

    /**
     * Appends an entry; existing entries with the same name stay.
     *
     * <pre>{@code
     * builder.add("My-Header1", "value1").add("My-Header1", "value2");
     * }</pre>
     *
     * @throws IllegalArgumentException if {@code name} is empty or contains characters a header
     *     name cannot (controls, space, colon, non-ASCII)
     */
    public Builder add(String name, String value) {
      checkName(name);
      if (value == null) {
        throw new NullPointerException("value of header " + name);
      }
      if (size == names.length) {
        int capacity = Math.max(8, size * 2);
        names = Arrays.copyOf(names, capacity);
        values = Arrays.copyOf(values, capacity);
      }
      names[size] = name;
      values[size] = value;
      size++;
      return this;
    }

    /**
     * Appends every entry of {@code headers}.
     *
     * <pre>{@code
     * builder.addAll(signingResult.addedHeaders());
     * }</pre>
     */
    public Builder addAll(RequestHeaders headers) {
      for (int i = 0; i < headers.size(); i++) {
        add(headers.name(i), headers.value(i));
      }
      return this;
    }

    /**
     * Removes every entry named {@code name}, ignoring case.
     *
     * <pre>{@code
     * builder.remove("authorization");
     * }</pre>
     */
    public Builder remove(String name) {
      int kept = 0;
      for (int i = 0; i < size; i++) {
        if (!nameEquals(names[i], name)) {
          names[kept] = names[i];
          values[kept] = values[i];
          kept++;
        }
      }
      Arrays.fill(names, kept, size, null);
      Arrays.fill(values, kept, size, null);
      size = kept;
      return this;
    }

    /**
     * Replaces every entry named {@code name} by one entry at the end.
     *
     * <pre>{@code
     * builder.set("X-Amz-Date", AmzDate.of(now).toString());
     * }</pre>
     */
    public Builder set(String name, String value) {
      return remove(name).add(name, value);
    }

    /**
     * The headers collected so far.
     *
     * <pre>{@code
     * RequestHeaders headers = builder.build();
     * }</pre>
     */
    public RequestHeaders build() {
      return size == 0 ? EMPTY
          : new RequestHeaders(Arrays.copyOf(names, size), Arrays.copyOf(values, size));
    }

    private static void checkName(String name) {
      Objects.requireNonNull(name, "header name");
      if (name.isEmpty()) {
        throw new IllegalArgumentException("header name is empty");
      }
      for (int i = 0; i < name.length(); i++) {
        char c = name.charAt(i);
        if (c <= ' ' || c >= 0x7f || c == ':') {
          throw new IllegalArgumentException("header name '" + name
              + "' contains a character not allowed in header names at index " + i);
        }
      }
    }
  }
}
