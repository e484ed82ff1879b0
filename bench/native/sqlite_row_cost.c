/*
 * What SQLite itself spends storing one BatchMeterUsage row, with no JVM, JDBC or server around it:
 * the floor under the server's CPU per stored record. Inserts rows shaped like batch_usage (V3
 * schema) through the C API, 800 rows a transaction (a full-rate group commit), spread keys as the
 * load generator makes them (200,000 customers; a dimension's pass walks all customers), WAL mode
 * with synchronous=OFF so that no flush is timed. Run it under callgrind for instructions per row
 * (repeatable on a shared machine); bench/sqlite-row-cost.sh does both.
 *
 *   sqlite_row_cost <variant> <passes before> <transactions> <database file>
 *
 * The rows of the first <passes before> dimensions (200,000 a pass) go in first, uncounted, so that
 * the counted inserts land inside a grown index as in the load generator's measured window, not
 * at its right edge. Under callgrind, run with --instr-atstart=no: counting starts after them.
 *
 * Variants: today (the row and unique index as stored), noindex (the same row, no unique index),
 * nonames (without the product, customer and dimension text kept beside their ids), lean (today's
 * row with the connection mutex and memory statistics off, two library settings), percall (a
 * design not built: one table row per call of 25 records, the records packed in a blob, and the
 * unique key as its own WITHOUT ROWID table, one entry per record pointing at its call), v7 (the
 * schema the server has used since V7, and its writer's NOMUTEX connection: the keys with quantity,
 * license and ref in batch_record, then the call row with its records as JSON text; the JSON is
 * written by a plain loop inside the counted region, a few hundred instructions a record).
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <valgrind/callgrind.h>

#define ROWS_PER_TRANSACTION 800
#define CUSTOMERS 200000

static const char *WITH_NAMES =
    "CREATE TABLE batch_usage (seq INTEGER PRIMARY KEY, id TEXT NOT NULL, hour INTEGER NOT NULL,"
    " product_code TEXT NOT NULL, customer_key TEXT NOT NULL, dimension TEXT NOT NULL,"
    " usage_time INTEGER NOT NULL, quantity INTEGER NOT NULL, allocations TEXT NOT NULL,"
    " fingerprint TEXT NOT NULL, license_arn TEXT, caller_account_id TEXT NOT NULL,"
    " received_at INTEGER NOT NULL, product_id INTEGER NOT NULL, customer_id INTEGER NOT NULL,"
    " dimension_id INTEGER NOT NULL)";
static const char *INSERT_WITH_NAMES =
    "INSERT INTO batch_usage (id, hour, product_code, customer_key, dimension, usage_time, quantity,"
    " allocations, fingerprint, license_arn, caller_account_id, received_at, product_id, customer_id,"
    " dimension_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
static const char *WITHOUT_NAMES =
    "CREATE TABLE batch_usage (seq INTEGER PRIMARY KEY, id TEXT NOT NULL, hour INTEGER NOT NULL,"
    " usage_time INTEGER NOT NULL, quantity INTEGER NOT NULL, allocations TEXT NOT NULL,"
    " fingerprint TEXT NOT NULL, license_arn TEXT, caller_account_id TEXT NOT NULL,"
    " received_at INTEGER NOT NULL, product_id INTEGER NOT NULL, customer_id INTEGER NOT NULL,"
    " dimension_id INTEGER NOT NULL)";
static const char *INSERT_WITHOUT_NAMES =
    "INSERT INTO batch_usage (id, hour, usage_time, quantity, allocations, fingerprint, license_arn,"
    " caller_account_id, received_at, product_id, customer_id, dimension_id)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
static const char *UNIQUE_KEY =
    "CREATE UNIQUE INDEX batch_usage_key ON batch_usage (hour, product_id, customer_id, dimension_id)";

#define RECORDS_PER_CALL 25
static const char *PER_CALL =
    "CREATE TABLE batch_call (seq INTEGER PRIMARY KEY, caller_account_id TEXT NOT NULL,"
    " received_at INTEGER NOT NULL, product_id INTEGER NOT NULL, records BLOB NOT NULL);"
    "CREATE TABLE batch_key (hour INTEGER NOT NULL, product_id INTEGER NOT NULL,"
    " customer_id INTEGER NOT NULL, dimension_id INTEGER NOT NULL, call_seq INTEGER NOT NULL,"
    " PRIMARY KEY (hour, product_id, customer_id, dimension_id)) WITHOUT ROWID";
static const char *INSERT_CALL =
    "INSERT INTO batch_call (caller_account_id, received_at, product_id, records) VALUES (?, ?, ?, ?)";
static const char *INSERT_KEY =
    "INSERT INTO batch_key (hour, product_id, customer_id, dimension_id, call_seq) VALUES (?, ?, ?, ?, ?)"
    " ON CONFLICT DO NOTHING";

static const char *V7 =
    "CREATE TABLE batch_call (seq INTEGER PRIMARY KEY, product_id INTEGER NOT NULL,"
    " caller_account_id TEXT NOT NULL, received_at INTEGER NOT NULL, records TEXT NOT NULL);"
    "CREATE TABLE batch_record (hour INTEGER NOT NULL, product_id INTEGER NOT NULL,"
    " customer_id INTEGER NOT NULL, dimension_id INTEGER NOT NULL, quantity INTEGER NOT NULL,"
    " license_id INTEGER, ref INTEGER NOT NULL,"
    " PRIMARY KEY (hour, product_id, customer_id, dimension_id)) WITHOUT ROWID";
static const char *V7_INSERT_RECORD =
    "INSERT INTO batch_record (hour, product_id, customer_id, dimension_id, quantity, license_id, ref)"
    " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
static const char *V7_INSERT_CALL =
    "INSERT INTO batch_call (seq, product_id, caller_account_id, received_at, records) VALUES (?, ?, ?, ?, ?)"
    " ON CONFLICT DO NOTHING";

/* One packed record of a call: what a row of batch_usage holds beside the call's own columns. */
struct packed_record {
  unsigned char id[16];
  long long usage_time;
  int customer_id;
  int dimension_id;
  int quantity;
  unsigned char fingerprint[16];
};

static void check(int rc, sqlite3 *db, const char *what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE) {
    fprintf(stderr, "%s: %s\n", what, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    exit(1);
  }
}

static double seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

/* One program, one database: the connection and statements of the variant being run. */
static sqlite3 *db;
static sqlite3_stmt *insert_row, *insert_call, *insert_key;
static int names;
static const long HOUR = 1764900000L;
/* Names made before the clock starts, so that what is counted is SQLite's. */
static char customers[CUSTOMERS][16];

static void open_database(const char *file, int flags, const char *schema) {
  check(sqlite3_open_v2(file, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | flags, NULL), db, "open");
  check(sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF", NULL, NULL, NULL), db, "pragmas");
  check(sqlite3_exec(db, schema, NULL, NULL, NULL), db, "schema");
}

/* One transaction of batch_usage rows, records first .. first + 799. */
static void write_rows(long first) {
  char dimension[8];
  char id[] = "00000000-5e1f-4a2b-9c3d-0123456789ab";
  for (long record = first; record < first + ROWS_PER_TRANSACTION; record++) {
    int c = (int) (record % CUSTOMERS);
    int d = (int) (record / CUSTOMERS);
    /* A UUID's shape, 36 characters as the server's metering record ids, unique per row. */
    for (int i = 0; i < 8; i++) {
      id[i] = "0123456789abcdef"[(record >> (28 - 4 * i)) & 15];
    }
    dimension[0] = 'd';
    for (int i = 0; i < 4; i++) {
      dimension[1 + i] = (char) ('0' + (d / (int[]) {1000, 100, 10, 1}[i]) % 10);
    }
    dimension[5] = 0;
    int p = 1;
    sqlite3_bind_text(insert_row, p++, id, 36, SQLITE_TRANSIENT);
    sqlite3_bind_int64(insert_row, p++, HOUR);
    if (names) {
      sqlite3_bind_text(insert_row, p++, "bench-saas", -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(insert_row, p++, customers[c], -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(insert_row, p++, dimension, -1, SQLITE_TRANSIENT);
    }
    sqlite3_bind_int64(insert_row, p++, HOUR * 1000 + 1000);
    sqlite3_bind_int(insert_row, p++, 1 + (int) (record & 7));
    sqlite3_bind_text(insert_row, p++, "", 0, SQLITE_TRANSIENT);
    sqlite3_bind_text(insert_row, p++, "0f1e2d3c4b5a69788796a5b4c3d2e1f0", 32, SQLITE_TRANSIENT);
    sqlite3_bind_null(insert_row, p++);
    sqlite3_bind_text(insert_row, p++, "111111111111", 12, SQLITE_TRANSIENT);
    sqlite3_bind_int64(insert_row, p++, HOUR * 1000 + 2000 + record);
    sqlite3_bind_int(insert_row, p++, 1);
    sqlite3_bind_int(insert_row, p++, 2 + c);
    sqlite3_bind_int(insert_row, p++, 2 + CUSTOMERS + d);
    check(sqlite3_step(insert_row), db, "insert");
    sqlite3_reset(insert_row);
  }
}

/* The percall variant: the same records, as 32 calls of 25 a transaction. */
static void write_calls(long first) {
  struct packed_record records[RECORDS_PER_CALL];
  memset(records, 0, sizeof records);
  for (long call = first; call < first + ROWS_PER_TRANSACTION; call += RECORDS_PER_CALL) {
    for (int r = 0; r < RECORDS_PER_CALL; r++) {
      long record = call + r;
      memcpy(records[r].id, &record, sizeof record);
      records[r].usage_time = HOUR * 1000 + 1000;
      records[r].customer_id = 2 + (int) (record % CUSTOMERS);
      records[r].dimension_id = 2 + CUSTOMERS + (int) (record / CUSTOMERS);
      records[r].quantity = 1 + (int) (record & 7);
    }
    sqlite3_bind_text(insert_call, 1, "111111111111", 12, SQLITE_TRANSIENT);
    sqlite3_bind_int64(insert_call, 2, HOUR * 1000 + 2000 + call);
    sqlite3_bind_int(insert_call, 3, 1);
    sqlite3_bind_blob(insert_call, 4, records, sizeof records, SQLITE_TRANSIENT);
    check(sqlite3_step(insert_call), db, "insert call");
    sqlite3_reset(insert_call);
    sqlite3_int64 seq = sqlite3_last_insert_rowid(db);
    for (int r = 0; r < RECORDS_PER_CALL; r++) {
      sqlite3_bind_int64(insert_key, 1, HOUR);
      sqlite3_bind_int(insert_key, 2, 1);
      sqlite3_bind_int(insert_key, 3, records[r].customer_id);
      sqlite3_bind_int(insert_key, 4, records[r].dimension_id);
      sqlite3_bind_int64(insert_key, 5, seq);
      check(sqlite3_step(insert_key), db, "insert key");
      sqlite3_reset(insert_key);
    }
  }
}

/* Appends the decimal digits of v. */
static char *digits(char *out, long long v) {
  char tmp[24];
  int n = 0;
  do {
    tmp[n++] = (char) ('0' + v % 10);
    v /= 10;
  } while (v > 0);
  while (n > 0) {
    *out++ = tmp[--n];
  }
  return out;
}

static char *text(char *out, const char *s) {
  while (*s) {
    *out++ = *s++;
  }
  return out;
}

/* The v7 variant: as the server's writer, the records' keys first, then the call row. */
static long long next_seq = 1;
static void write_v7(long first) {
  static char json[RECORDS_PER_CALL * 200];
  char id[] = "00000000-5e1f-4a2b-9c3d-0123456789ab";
  for (long call = first; call < first + ROWS_PER_TRANSACTION; call += RECORDS_PER_CALL) {
    long long seq = next_seq++;
    char *out = json;
    *out++ = '[';
    for (int r = 0; r < RECORDS_PER_CALL; r++) {
      long record = call + r;
      int customer = 2 + (int) (record % CUSTOMERS);
      int dimension = 2 + CUSTOMERS + (int) (record / CUSTOMERS);
      int quantity = 1 + (int) (record & 7);
      sqlite3_bind_int64(insert_key, 1, HOUR);
      sqlite3_bind_int(insert_key, 2, 1);
      sqlite3_bind_int(insert_key, 3, customer);
      sqlite3_bind_int(insert_key, 4, dimension);
      sqlite3_bind_int(insert_key, 5, quantity);
      sqlite3_bind_null(insert_key, 6);
      sqlite3_bind_int64(insert_key, 7, seq * 1024 + r);
      check(sqlite3_step(insert_key), db, "insert record");
      sqlite3_reset(insert_key);
      for (int i = 0; i < 8; i++) {
        id[i] = "0123456789abcdef"[(record >> (28 - 4 * i)) & 15];
      }
      out = text(out, r == 0 ? "{\"s\":" : ",{\"s\":");
      out = digits(out, r);
      out = text(out, ",\"id\":\"");
      out = text(out, id);
      out = text(out, "\",\"c\":");
      out = digits(out, customer);
      out = text(out, ",\"d\":");
      out = digits(out, dimension);
      out = text(out, ",\"t\":");
      out = digits(out, HOUR * 1000 + 1000);
      out = text(out, ",\"q\":");
      out = digits(out, quantity);
      out = text(out, ",\"a\":\"\",\"f\":\"0f1e2d3c4b5a69788796a5b4c3d2e1f0\",\"l\":null}");
    }
    *out++ = ']';
    sqlite3_bind_int64(insert_call, 1, seq);
    sqlite3_bind_int(insert_call, 2, 1);
    sqlite3_bind_text(insert_call, 3, "111111111111", 12, SQLITE_TRANSIENT);
    sqlite3_bind_int64(insert_call, 4, HOUR * 1000 + 2000 + call);
    sqlite3_bind_text(insert_call, 5, json, (int) (out - json), SQLITE_TRANSIENT);
    check(sqlite3_step(insert_call), db, "insert call");
    sqlite3_reset(insert_call);
  }
}

/* The uncounted transactions, then the counted ones (callgrind and the clock), then the figure. */
static void run(const char *variant, long before, long transactions, void (*write)(long first)) {
  double started = 0;
  for (long t = 0; t < before + transactions; t++) {
    if (t == before) {
      CALLGRIND_START_INSTRUMENTATION;
      started = seconds();
    }
    check(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), db, "begin");
    write(t * ROWS_PER_TRANSACTION);
    check(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), db, "commit");
  }
  double elapsed = seconds() - started;
  CALLGRIND_STOP_INSTRUMENTATION;
  long counted = transactions * ROWS_PER_TRANSACTION;
  printf("%s: %ld rows counted after %ld, %.2f us a row (wall clock)\n", variant, counted,
      before * ROWS_PER_TRANSACTION, elapsed * 1e6 / counted);
}

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: %s today|noindex|nonames|lean|percall|v7 <passes before> <transactions> <database file>\n",
        argv[0]);
    return 2;
  }
  const char *variant = argv[1];
  if (strcmp(variant, "today") && strcmp(variant, "noindex") && strcmp(variant, "nonames") && strcmp(variant, "lean")
      && strcmp(variant, "percall") && strcmp(variant, "v7")) {
    fprintf(stderr, "unknown variant %s: choose today, noindex, nonames, lean, percall or v7\n", variant);
    return 2;
  }
  long before = atol(argv[2]) * CUSTOMERS / ROWS_PER_TRANSACTION;
  long transactions = atol(argv[3]);
  if (strcmp(variant, "v7") == 0) {
    open_database(argv[4], SQLITE_OPEN_NOMUTEX, V7);
    check(sqlite3_prepare_v2(db, V7_INSERT_CALL, -1, &insert_call, NULL), db, "prepare call");
    check(sqlite3_prepare_v2(db, V7_INSERT_RECORD, -1, &insert_key, NULL), db, "prepare record");
    run(variant, before, transactions, write_v7);
    sqlite3_finalize(insert_call);
    sqlite3_finalize(insert_key);
  } else if (strcmp(variant, "percall") == 0) {
    open_database(argv[4], 0, PER_CALL);
    check(sqlite3_prepare_v2(db, INSERT_CALL, -1, &insert_call, NULL), db, "prepare call");
    check(sqlite3_prepare_v2(db, INSERT_KEY, -1, &insert_key, NULL), db, "prepare key");
    run(variant, before, transactions, write_calls);
    sqlite3_finalize(insert_call);
    sqlite3_finalize(insert_key);
  } else {
    names = strcmp(variant, "nonames") != 0;
    int lean = strcmp(variant, "lean") == 0;
    if (lean) {
      check(sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0), NULL, "memstatus");
    }
    open_database(argv[4], lean ? SQLITE_OPEN_NOMUTEX : 0, names ? WITH_NAMES : WITHOUT_NAMES);
    if (strcmp(variant, "noindex") != 0) {
      check(sqlite3_exec(db, UNIQUE_KEY, NULL, NULL, NULL), db, "index");
    }
    check(sqlite3_prepare_v2(db, names ? INSERT_WITH_NAMES : INSERT_WITHOUT_NAMES, -1, &insert_row, NULL), db,
        "prepare");
    for (int c = 0; c < CUSTOMERS; c++) {
      snprintf(customers[c], sizeof customers[c], "%ld", 200000000000L + c);
    }
    run(variant, before, transactions, write_rows);
    sqlite3_finalize(insert_row);
  }
  sqlite3_close(db);
  return 0;
}
