package io.meterbridge.model;

import java.util.Objects;

/**
 * A key-value pair that attributes part of a usage quantity to a buyer's cost-allocation tag
 * (buyers see it prefixed {@code aws:marketplace:isv:}).
 *
 * <p>Keys are 1 to 100 characters, values 1 to 256, both matching the model pattern
 * {@code ^[a-zA-Z0-9+ -=._:\/@]+$}. Requests check these constraints when they are built.
 *
 * <pre>{@code
 * Tag team = Tag.of("Team", "analytics");
 * }</pre>
 *
 * @param key the tag key
 * @param value the tag value
 */
public record Tag(String key, String value) {
  /** Checks the components. */
  public Tag {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
  }

  /** A tag with this key and value. */
  public static Tag of(String key, String value) {
    return new Tag(key, value);
  }
}
