package io.meterbridge.server.reconcile;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a Daily Usage data feed file as the Seller Data Delivery Service delivers it: CSV with a
 * header line naming the columns. The columns used are {@code usage_date}, {@code product_id},
 * {@code region}, {@code dimension_key} and {@code usage_quantity} (required), and {@code
 * agreement_id}, {@code pricing_currency}, {@code usage_rate_per_unit_in_pricing_currency},
 * {@code usage_unit} and {@code delete_date} when present; any other column (AWS adds some over
 * time) is ignored. A row with a {@code delete_date} was withdrawn by AWS and is skipped.
 *
 * <p>Lenient where AWS's files vary (quoted or not, CRLF or LF, a byte-order mark, a date written
 * with a time after it), strict about values: every problem is collected with its line number and
 * reported at once in a {@link FeedException}.
 */
final class DailyUsageFeed {
  static final List<String> REQUIRED = List.of("usage_date", "product_id", "region", "dimension_key", "usage_quantity");
  private static final int MAX_PROBLEMS = 20;

  /** One usage row of the feed. */
  record Row(int line, LocalDate usageDate, String productId, String agreementId, String region, String dimension,
      BigDecimal quantity, String currency, Optional<BigDecimal> ratePerUnit) {}

  private DailyUsageFeed() {}

  static List<Row> read(Reader in) {
    CsvReader csv = new CsvReader(in);
    List<String> problems = new ArrayList<>();
    List<String> header = csv.next();
    if (header == null) {
      throw new FeedException(List.of("the feed is empty: expected a header line with the columns " + REQUIRED));
    }
    Map<String, Integer> columns = new HashMap<>();
    for (int i = 0; i < header.size(); i++) {
      String name = header.get(i).strip().toLowerCase(Locale.ROOT);
      if (i == 0 && name.startsWith("\ufeff")) {
        name = name.substring(1);
      }
      columns.putIfAbsent(name, i);
    }
    List<String> missing = REQUIRED.stream().filter(c -> !columns.containsKey(c)).toList();
    if (!missing.isEmpty()) {
      throw new FeedException(List.of("line 1: the header has no column " + String.join(", ", missing)
          + ": is this a Daily Usage data feed file? It needs " + REQUIRED));
    }
    List<Row> rows = new ArrayList<>();
    List<String> cells;
    while ((cells = csv.next()) != null && problems.size() < MAX_PROBLEMS) {
      int line = csv.line();
      if (cells.size() == 1 && cells.get(0).isBlank()) {
        continue;
      }
      if (!cell(cells, columns, "delete_date").isBlank()) {
        continue;
      }
      int before = problems.size();
      LocalDate date = date(cell(cells, columns, "usage_date"), line, problems);
      String product = text(cells, columns, "product_id", line, problems);
      String region = text(cells, columns, "region", line, problems);
      String dimension = text(cells, columns, "dimension_key", line, problems);
      BigDecimal quantity = number(cell(cells, columns, "usage_quantity"), "usage_quantity", line, problems, true);
      String rateText = cell(cells, columns, "usage_rate_per_unit_in_pricing_currency").strip();
      BigDecimal rate = rateText.isEmpty() ? null
          : number(rateText, "usage_rate_per_unit_in_pricing_currency", line, problems, false);
      if (problems.size() == before) {
        rows.add(new Row(line, date, product, cell(cells, columns, "agreement_id").strip(), region, dimension, quantity,
            cell(cells, columns, "pricing_currency").strip(), Optional.ofNullable(rate)));
      }
    }
    if (!problems.isEmpty()) {
      if (problems.size() >= MAX_PROBLEMS) {
        problems.add("(stopped after " + MAX_PROBLEMS + " problems)");
      }
      throw new FeedException(problems);
    }
    return rows;
  }

  private static String cell(List<String> cells, Map<String, Integer> columns, String name) {
    Integer at = columns.get(name);
    return at == null || at >= cells.size() ? "" : cells.get(at);
  }

  private static String text(List<String> cells, Map<String, Integer> columns, String name, int line,
      List<String> problems) {
    String value = cell(cells, columns, name).strip();
    if (value.isEmpty()) {
      problems.add("line " + line + ": " + name + " is empty");
    }
    return value;
  }

  private static LocalDate date(String text, int line, List<String> problems) {
    String value = text.strip();
    try {
      // AWS writes a date; some exports add a time (2026-03-31 00:00:00 or 2026-03-31T00:00:00Z).
      return LocalDate.parse(value.length() > 10 ? value.substring(0, 10) : value);
    } catch (DateTimeParseException e) {
      problems.add("line " + line + ": usage_date: '" + value + "' is not a date such as 2026-03-31");
      return null;
    }
  }

  private static BigDecimal number(String text, String name, int line, List<String> problems, boolean required) {
    String value = text.strip();
    if (value.isEmpty() && required) {
      problems.add("line " + line + ": " + name + " is empty");
      return null;
    }
    try {
      BigDecimal number = new BigDecimal(value);
      if (number.signum() < 0) {
        problems.add("line " + line + ": " + name + ": '" + value + "' is negative");
        return null;
      }
      return number;
    } catch (NumberFormatException e) {
      problems.add("line " + line + ": " + name + ": '" + value + "' is not a number such as 12.50");
      return null;
    }
  }

  /** RFC 4180 records: quoted fields may hold commas, doubled quotes and line breaks. */
  static final class CsvReader {
    private final Reader in;
    private int line;
    private int nextLine = 1;
    private int peeked = -2;

    CsvReader(Reader in) {
      this.in = in;
    }

    /** The line the last record began on (1-based). */
    int line() {
      return line;
    }

    /** The next record's cells, or null at the end. */
    List<String> next() {
      try {
        int c = read();
        if (c == -1) {
          return null;
        }
        line = nextLine;
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        while (true) {
          if (c == -1) {
            cells.add(cell.toString());
            return cells;
          }
          if (quoted) {
            if (c == '"') {
              int d = read();
              if (d == '"') {
                cell.append('"');
              } else {
                quoted = false;
                c = d;
                continue;
              }
            } else {
              if (c == '\n') {
                nextLine++;
              }
              cell.append((char) c);
            }
          } else if (c == '"' && cell.length() == 0 && !wasQuoted) {
            quoted = true;
            wasQuoted = true;
          } else if (c == ',') {
            cells.add(cell.toString());
            cell.setLength(0);
            wasQuoted = false;
          } else if (c == '\r' || c == '\n') {
            if (c == '\r') {
              int d = read();
              if (d != '\n') {
                unread(d);
              }
            }
            nextLine++;
            cells.add(cell.toString());
            return cells;
          } else {
            cell.append((char) c);
          }
          c = read();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private int read() throws IOException {
      if (peeked != -2) {
        int c = peeked;
        peeked = -2;
        return c;
      }
      return in.read();
    }

    private void unread(int c) {
      peeked = c;
    }
  }
}
