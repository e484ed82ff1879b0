package io.meterbridge.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/**
 * How one row type maps to the columns of its table, written once for every statement and both
 * dialects: the column list of inserts and selects, binding a row to a statement's parameters (one
 * row at a time, as SQLite wants it), binding many rows as one array per column (PostgreSQL's
 * {@code unnest}), and reading a row back by column name. See {@link Tables} for every mapping.
 *
 * <p>Times are epoch milliseconds, as in the schema. Binding a row boxes nothing, so the SQLite
 * write path pays no allocation for the indirection.
 *
 * @param <R> the row type
 */
final class Table<R> {
  /** A column's type, by the name both dialects use in casts and {@code createArrayOf}. */
  enum Type {
    TEXT("text", String[]::new),
    INT8("int8", Long[]::new),
    INT4("int4", Integer[]::new),
    BOOL("boolean", Boolean[]::new),
    BYTES("bytea", byte[][]::new);

    final String sql;
    final IntFunction<Object[]> arrays;

    Type(String sql, IntFunction<Object[]> arrays) {
      this.sql = sql;
      this.arrays = arrays;
    }
  }

  /** Sets one parameter from a row. */
  private interface Binder<R> {
    void bind(PreparedStatement ps, int index, R row) throws SQLException;
  }

  private record Column<R>(String name, Type type, Binder<R> binder, Function<R, Object> value) {}

  /** Reads a row from the current line of a result set, by column name. */
  interface Reader<R> {
    R read(Values values) throws SQLException;
  }

  private final String name;
  private final List<Column<R>> columns;
  private final Map<String, Integer> positions;
  private final Reader<R> reader;
  private final Comparator<R> keyOrder;
  private final String identity;
  // Statements are built once: the write path asks for them on every group.
  private final String columnList;
  private final String insert;
  private final String unnest;

  private Table(Builder<R> b) {
    this.name = b.name;
    this.columns = List.copyOf(b.columns);
    Map<String, Integer> at = new HashMap<>();
    for (int i = 0; i < columns.size(); i++) {
      if (at.put(columns.get(i).name(), i) != null) {
        throw new IllegalArgumentException(name + " maps column " + columns.get(i).name() + " twice");
      }
    }
    this.positions = Map.copyOf(at);
    this.reader = b.reader;
    this.keyOrder = b.keyOrder;
    this.identity = b.identity;
    if (!positions.containsKey(identity) && !b.columns.isEmpty() && b.identityRequired) {
      throw new IllegalArgumentException(name + " has no identity column " + identity);
    }
    this.columnList = columns.stream().map(Column::name).collect(Collectors.joining(", "));
    this.insert = "INSERT INTO " + name + " (" + columnList + ") VALUES ("
        + columns.stream().map(c -> "?").collect(Collectors.joining(", ")) + ")";
    this.unnest = "unnest("
        + columns.stream().map(c -> "?::" + c.type().sql + "[]").collect(Collectors.joining(", ")) + ")";
  }

  static <R> Builder<R> builder(String name) {
    return new Builder<>(name);
  }

  /** The table's name. */
  String name() {
    return name;
  }

  /** The number of columns. */
  int size() {
    return columns.size();
  }

  /** The column names, comma-separated: {@code id, hour, product_code, ...}. */
  String columns() {
    return columnList;
  }

  /** {@code SELECT <columns> FROM <table>}. */
  String select() {
    return "SELECT " + columns() + " FROM " + name;
  }

  /** {@code col1 = ? AND col2 = ? ...}, bound by {@link #bind}. */
  String matches() {
    return columns.stream().map(c -> c.name() + " = ?").collect(Collectors.joining(" AND "));
  }

  /** {@code INSERT INTO <table> (<columns>) VALUES (?, ...)}, bound by {@link #bind}. */
  String insert() {
    return insert;
  }

  /** An insert that updates every other column of the row already stored under {@code key}. */
  String upsert(String... key) {
    List<String> keys = List.of(key);
    keys.forEach(this::position);
    return insert() + " ON CONFLICT (" + String.join(", ", keys) + ") DO UPDATE SET "
        + columns.stream().map(Column::name).filter(c -> !keys.contains(c))
            .map(c -> c + " = excluded." + c).collect(Collectors.joining(", "));
  }

  /**
   * {@code INSERT INTO <table> (<columns>) SELECT * FROM unnest(?::text[], ...)}, bound by
   * {@link #bindArrays}: PostgreSQL only.
   */
  String insertUnnest() {
    return "INSERT INTO " + name + " (" + columns() + ") SELECT * FROM " + unnest();
  }

  /** {@code unnest(?::text[], ...)}, bound by {@link #bindArrays}: PostgreSQL only. */
  String unnest() {
    return unnest;
  }

  /** Binds {@code row} to parameters {@code first}, {@code first + 1}, ... in column order. */
  void bind(PreparedStatement ps, int first, R row) throws SQLException {
    for (int i = 0; i < columns.size(); i++) {
      columns.get(i).binder().bind(ps, first + i, row);
    }
  }

  /** Binds {@code rows} as one array per column to parameters {@code first}, ... in column order. */
  void bindArrays(Connection c, PreparedStatement ps, int first, List<R> rows) throws SQLException {
    for (int i = 0; i < columns.size(); i++) {
      Column<R> column = columns.get(i);
      Object[] values = column.type().arrays.apply(rows.size());
      for (int r = 0; r < values.length; r++) {
        values[r] = column.value().apply(rows.get(r));
      }
      ps.setArray(first + i, c.createArrayOf(column.type().sql, values));
    }
  }

  /** The value of {@code column} in {@code row}, as an array element would hold it. */
  Object value(String column, R row) {
    return columns.get(position(column)).value().apply(row);
  }

  /** Reads the row whose columns start at result column {@code first}, in column order. */
  R read(ResultSet rs, int first) throws SQLException {
    if (reader == null) {
      throw new IllegalStateException("table " + name + " is mapped for writing only");
    }
    return reader.read(new Values(this, rs, first));
  }

  /** The order in which concurrent writers should insert rows (the unique key's), if it matters. */
  Optional<Comparator<R>> keyOrder() {
    return Optional.ofNullable(keyOrder);
  }

  /**
   * The column that tells the table's inserted rows apart ({@code RETURNING} on PostgreSQL): {@code
   * id} unless the mapping names another.
   */
  String identity() {
    return identity;
  }

  private int position(String column) {
    Integer at = positions.get(column);
    if (at == null) {
      throw new IllegalArgumentException("table " + name + " maps no column " + column);
    }
    return at;
  }

  @Override
  public String toString() {
    return "Table[" + name + ": " + columns() + "]";
  }

  /** The current line of a result set, read by a table's column names. */
  static final class Values {
    private final Table<?> table;
    private final ResultSet rs;
    private final int first;

    private Values(Table<?> table, ResultSet rs, int first) {
      this.table = table;
      this.rs = rs;
      this.first = first;
    }

    private int at(String column) {
      return first + table.position(column);
    }

    /** A part embedded with {@link Builder#columns}, read by its own reader from these columns. */
    <P> P part(Table<P> part) throws SQLException {
      return part.reader.read(this);
    }

    String text(String column) throws SQLException {
      return rs.getString(at(column));
    }

    Optional<String> optionalText(String column) throws SQLException {
      return Optional.ofNullable(rs.getString(at(column)));
    }

    long int8(String column) throws SQLException {
      return rs.getLong(at(column));
    }

    int int4(String column) throws SQLException {
      return rs.getInt(at(column));
    }

    boolean bool(String column) throws SQLException {
      return rs.getBoolean(at(column));
    }

    byte[] bytes(String column) throws SQLException {
      return rs.getBytes(at(column));
    }

    Instant millis(String column) throws SQLException {
      return Instant.ofEpochMilli(rs.getLong(at(column)));
    }

    Optional<Instant> optionalMillis(String column) throws SQLException {
      long millis = rs.getLong(at(column));
      return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
    }
  }

  /** Declares a table's columns in order, then how to read a row back. */
  static final class Builder<R> {
    private final String name;
    private final List<Column<R>> columns = new ArrayList<>();
    private Reader<R> reader;
    private Comparator<R> keyOrder;
    private String identity = "id";
    private boolean identityRequired;

    private Builder(String name) {
      this.name = name;
    }

    Builder<R> text(String column, Function<R, String> value) {
      return add(column, Type.TEXT, (ps, i, r) -> ps.setString(i, value.apply(r)), value::apply);
    }

    Builder<R> optionalText(String column, Function<R, Optional<String>> value) {
      return add(column, Type.TEXT, (ps, i, r) -> ps.setString(i, value.apply(r).orElse(null)),
          r -> value.apply(r).orElse(null));
    }

    Builder<R> int8(String column, ToLongFunction<R> value) {
      return add(column, Type.INT8, (ps, i, r) -> ps.setLong(i, value.applyAsLong(r)), value::applyAsLong);
    }

    Builder<R> int4(String column, ToIntFunction<R> value) {
      return add(column, Type.INT4, (ps, i, r) -> ps.setInt(i, value.applyAsInt(r)), value::applyAsInt);
    }

    Builder<R> bool(String column, Predicate<R> value) {
      return add(column, Type.BOOL, (ps, i, r) -> ps.setBoolean(i, value.test(r)), value::test);
    }

    Builder<R> bytes(String column, Function<R, byte[]> value) {
      return add(column, Type.BYTES, (ps, i, r) -> ps.setBytes(i, value.apply(r)), value::apply);
    }

    /** A {@code key_name} id, or NULL where the row has none (the value 0). */
    Builder<R> idOrNull(String column, ToIntFunction<R> value) {
      return add(column, Type.INT4, (ps, i, r) -> {
        int id = value.applyAsInt(r);
        if (id == 0) {
          ps.setNull(i, Types.INTEGER);
        } else {
          ps.setInt(i, id);
        }
      }, r -> {
        int id = value.applyAsInt(r);
        return id == 0 ? null : id;
      });
    }

    /** An instant stored as epoch milliseconds. */
    Builder<R> millis(String column, Function<R, Instant> value) {
      return int8(column, r -> value.apply(r).toEpochMilli());
    }

    /** An instant stored as epoch milliseconds, or NULL. */
    Builder<R> optionalMillis(String column, Function<R, Optional<Instant>> value) {
      return add(column, Type.INT8, (ps, i, r) -> {
        Optional<Instant> at = value.apply(r);
        if (at.isPresent()) {
          ps.setLong(i, at.get().toEpochMilli());
        } else {
          ps.setNull(i, Types.BIGINT);
        }
      }, r -> value.apply(r).map(Instant::toEpochMilli).orElse(null));
    }

    /** Every column of {@code part}, with values taken from {@code of(row)}: a key inside its row. */
    <P> Builder<R> columns(Table<P> part, Function<R, P> of) {
      for (Column<P> c : part.columns) {
        add(c.name(), c.type(), (ps, i, r) -> c.binder().bind(ps, i, of.apply(r)), r -> c.value().apply(of.apply(r)));
      }
      return this;
    }

    /** Rows are written in this order where concurrent writers could otherwise deadlock. */
    Builder<R> keyOrder(Comparator<R> order) {
      this.keyOrder = order;
      return this;
    }

    /** The column that tells inserted rows apart, when it is not {@code id}; see {@link Table#identity()}. */
    Builder<R> identity(String column) {
      this.identity = column;
      this.identityRequired = true;
      return this;
    }

    Table<R> read(Reader<R> reader) {
      this.reader = reader;
      return new Table<>(this);
    }

    Table<R> writeOnly() {
      return new Table<>(this);
    }

    private Builder<R> add(String column, Type type, Binder<R> binder, Function<R, Object> value) {
      columns.add(new Column<>(column, type, binder, value));
      return this;
    }
  }
}
