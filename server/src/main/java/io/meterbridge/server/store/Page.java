package io.meterbridge.server.store;

import java.util.List;
import java.util.Optional;

/**
 * One page of a listing, in storage order.
 *
 * @param <T> the row type
 */
public final class Page<T> {
  private final List<T> items;
  private final String cursor;

  Page(List<T> items, String cursor) {
    this.items = List.copyOf(items);
    this.cursor = cursor;
  }

  public List<T> items() {
    return items;
  }

  /** The opaque cursor to pass to {@link RecordQuery.Builder#after(String)} for the next page; empty at the end. */
  public Optional<String> cursor() {
    return Optional.ofNullable(cursor);
  }

  @Override
  public String toString() {
    return "Page[items=" + items.size() + ", cursor=" + cursor + "]";
  }
}
