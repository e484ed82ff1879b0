package io.meterbridge.gateway.internal;

import io.meterbridge.model.Tag;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A tag set as one text, the key of a record's allocation: tags sorted by key, each {@code key US
 * value}, joined by RS (the ASCII unit and record separators, which the tag pattern excludes), so the
 * same set in any order is the same text.
 */
final class Tags {
  private static final char UNIT = '\u001f';
  private static final char RECORD = '\u001e';

  private Tags() {}

  static String canonical(List<Tag> tags) {
    List<Tag> sorted = new ArrayList<>(tags);
    sorted.sort(Comparator.comparing(Tag::key).thenComparing(Tag::value));
    StringBuilder text = new StringBuilder();
    for (Tag t : sorted) {
      if (text.length() > 0) {
        text.append(RECORD);
      }
      text.append(t.key()).append(UNIT).append(t.value());
    }
    return text.toString();
  }

  static List<Tag> parse(String canonical) {
    List<Tag> tags = new ArrayList<>();
    if (canonical.isEmpty()) {
      return tags;
    }
    for (String pair : canonical.split(String.valueOf(RECORD), -1)) {
      int at = pair.indexOf(UNIT);
      tags.add(Tag.of(pair.substring(0, at), pair.substring(at + 1)));
    }
    return tags;
  }
}
