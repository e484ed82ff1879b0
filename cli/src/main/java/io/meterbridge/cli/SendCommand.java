package io.meterbridge.cli;

import io.meterbridge.auth.AwsCredentials;
import io.meterbridge.client.MeteringClient;
import io.meterbridge.client.credentials.ProfileCredentialsProvider;
import io.meterbridge.exception.InvalidRequestException;
import io.meterbridge.exception.MeteringClientException;
import io.meterbridge.exception.MeteringServiceException;
import io.meterbridge.model.BatchMeterUsageRequest;
import io.meterbridge.model.BatchMeterUsageResponse;
import io.meterbridge.model.UsageRecord;
import io.meterbridge.model.UsageRecordResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code meterbridge send FILE}: usage records from a CSV or JSON lines file to AWS or a Meterbridge
 * server through {@link MeteringClient}, 25 to a BatchMeterUsage call per product, unprocessed
 * records sent again, and a summary by status.
 */
@Command(name = "send", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Sends usage records from a CSV or JSON lines file with BatchMeterUsage, to AWS or a Meterbridge server.",
        "",
        "Fields (CSV: a header row naming them; JSON lines: one object per line): productCode, customerAWSAccountId"
            + " or customerIdentifier, licenseArn (optional), dimension, quantity, timestamp (ISO-8601, such as"
            + " 2026-03-01T10:00:00Z). Records are grouped by product, 25 to a call; UnprocessedRecords are sent again"
            + " with backoff. A malformed file is reported line by line and nothing is sent.",
        "",
        "Credentials: --profile, else AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, else the client's default chain"
            + " (profiles, container and instance credentials)."},
    footer = {"", "Examples:",
        "  meterbridge send usage.csv --endpoint http://127.0.0.1:8080 --region us-east-1 --failed retry.csv",
        "  meterbridge send usage.jsonl --profile seller --region us-east-1",
        "", "Exit codes: 0 every record was accepted (Success), 1 some were not (see the summary and --failed),"
            + " 2 invalid usage or a malformed file (nothing sent)."})
final class SendCommand implements Callable<Integer> {
  static final String SUCCESS = "Success";
  static final String UNPROCESSED = "unprocessed";
  static final String INVALID = "invalid";
  static final List<String> STATUSES = List.of(SUCCESS, "CustomerNotSubscribed", "DuplicateRecord", UNPROCESSED, INVALID);
  private static final int BATCH = 25;
  private static final int SHOWN_PROBLEMS = 20;
  // Errors about who is calling or where: every later call would fail the same way, so stop at the first.
  private static final Set<String> FATAL = Set.of("UnrecognizedClientException", "InvalidSignatureException",
      "SignatureDoesNotMatchException", "MissingAuthenticationTokenException", "IncompleteSignatureException",
      "ExpiredTokenException", "AccessDeniedException", "InvalidEndpointRegionException", "InvalidRegionException");

  private final Map<String, String> env;
  private final Path workingDir;

  @Spec
  private CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The records: .csv, or .jsonl/.ndjson/.json for JSON lines.")
  private Path file;

  @Option(names = "--endpoint", paramLabel = "URL",
      description = "A Meterbridge server or another endpoint, such as http://127.0.0.1:8080. Default: the region's AWS endpoint.")
  private String endpoint;

  @Option(names = "--region", paramLabel = "REGION", description = "Default: AWS_REGION, AWS_DEFAULT_REGION, the profile's.")
  private String region;

  @Option(names = "--profile", paramLabel = "NAME", description = "Credentials from this profile of ~/.aws/credentials and ~/.aws/config.")
  private String profile;

  @Option(names = "--format", paramLabel = "csv|jsonl", description = "Default: from the file's extension, else its first line.")
  private String format;

  @Option(names = "--failed", paramLabel = "FILE",
      description = "Write the records not accepted to FILE, in the input's format, with a status and a message.")
  private Path failed;

  @Option(names = "--max-attempts", paramLabel = "N", defaultValue = "5",
      description = "Calls per batch while records come back unprocessed. Default ${DEFAULT-VALUE}.")
  private int maxAttempts;

  @Option(names = {"-q", "--quiet"}, description = "No progress on standard error.")
  private boolean quiet;

  SendCommand(Map<String, String> env, Path workingDir) {
    this.env = env;
    this.workingDir = workingDir;
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    if (maxAttempts < 1) {
      err.println("send: --max-attempts must be 1 or more, not " + maxAttempts);
      return 2;
    }
    UsageFile.Format forced = null;
    if (format != null) {
      switch (format) {
        case "csv" -> forced = UsageFile.Format.CSV;
        case "jsonl", "ndjson", "json" -> forced = UsageFile.Format.JSON_LINES;
        default -> {
          err.println("send: --format is csv or jsonl, not '" + format + "'");
          return 2;
        }
      }
    }
    Path input = workingDir.resolve(file);
    UsageFile.Contents contents;
    try {
      contents = UsageFile.read(input, forced);
    } catch (NoSuchFileException e) {
      err.println("send: no file " + input);
      return 2;
    }
    if (!contents.problems().isEmpty()) {
      contents.problems().stream().limit(SHOWN_PROBLEMS).forEach(p -> err.println("send: " + input.getFileName() + " " + p));
      if (contents.problems().size() > SHOWN_PROBLEMS) {
        err.println("send: ... and " + (contents.problems().size() - SHOWN_PROBLEMS) + " more");
      }
      err.println("send: nothing was sent; fix the lines above and run again");
      return 2;
    }
    List<UsageFile.Line> lines = contents.lines();
    String[] status = new String[lines.size()];
    String[] message = new String[lines.size()];

    // Records the model rejects are never sent; the rest are grouped by product in file order.
    Map<String, List<Integer>> byProduct = new LinkedHashMap<>();
    UsageRecord[] records = new UsageRecord[lines.size()];
    for (int i = 0; i < lines.size(); i++) {
      UsageFile.Line line = lines.get(i);
      try {
        long quantity = Long.parseLong(line.field(UsageFile.QUANTITY));
        if (quantity < Integer.MIN_VALUE || quantity > Integer.MAX_VALUE) {
          throw new InvalidRequestException(List.of("quantity: " + quantity + " is too large"));
        }
        records[i] = UsageRecord.builder()
            .timestamp(UsageFile.timestamp(line.field(UsageFile.TIMESTAMP)))
            .customerAwsAccountId(line.field(UsageFile.ACCOUNT_ID))
            .customerIdentifier(line.field(UsageFile.CUSTOMER_IDENTIFIER))
            .licenseArn(line.field(UsageFile.LICENSE_ARN))
            .dimension(line.field(UsageFile.DIMENSION))
            .quantity((int) quantity)
            .build();
        BatchMeterUsageRequest.of(line.field(UsageFile.PRODUCT_CODE), List.of(records[i]));
        byProduct.computeIfAbsent(line.field(UsageFile.PRODUCT_CODE), p -> new ArrayList<>()).add(i);
      } catch (InvalidRequestException e) {
        status[i] = INVALID;
        message[i] = "line " + line.number() + ": " + String.join("; ", e.violations());
      }
    }

    int toSend = byProduct.values().stream().mapToInt(List::size).sum();
    Progress progress = new Progress(err, toSend, quiet ? Progress.Mode.OFF
        : System.console() != null ? Progress.Mode.BAR : Progress.Mode.LINES);
    String where;
    try (MeteringClient client = client()) {
      where = client.endpoint() + " (" + client.region() + ")";
      send:
      for (Map.Entry<String, List<Integer>> product : byProduct.entrySet()) {
        List<Integer> indexes = product.getValue();
        for (int from = 0; from < indexes.size(); from += BATCH) {
          List<Integer> batch = indexes.subList(from, Math.min(indexes.size(), from + BATCH));
          if (!sendBatch(client, product.getKey(), batch, records, status, message, progress)) {
            for (List<Integer> rest : byProduct.values()) {
              for (int i : rest) {
                if (status[i] == null) {
                  status[i] = UNPROCESSED;
                  message[i] = "not sent after the error above";
                }
              }
            }
            break send;
          }
        }
      }
    } catch (UsageError e) {
      err.println("send: " + e.getMessage());
      return 2;
    } finally {
      progress.done();
    }

    Map<String, Integer> counts = new LinkedHashMap<>();
    STATUSES.forEach(s -> counts.put(s, 0));
    List<UsageFile.Line> notAccepted = new ArrayList<>();
    List<String> notAcceptedStatus = new ArrayList<>();
    List<String> notAcceptedMessage = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      counts.merge(status[i], 1, Integer::sum);
      if (!SUCCESS.equals(status[i])) {
        notAccepted.add(lines.get(i));
        notAcceptedStatus.add(status[i]);
        notAcceptedMessage.add(message[i]);
      }
    }
    out.println("send: " + lines.size() + " record" + (lines.size() == 1 ? "" : "s") + " from " + input.getFileName()
        + " to " + where);
    counts.forEach((s, n) -> out.printf("  %-22s %d%n", s, n));
    out.flush();
    if (failed != null) {
      Path failedFile = workingDir.resolve(failed);
      UsageFile.write(failedFile, contents.format(), notAccepted, notAcceptedStatus, notAcceptedMessage);
      err.println("send: wrote the " + notAccepted.size() + " record" + (notAccepted.size() == 1 ? "" : "s")
          + " not accepted to " + failedFile);
    } else if (!notAccepted.isEmpty()) {
      err.println("send: " + notAccepted.size() + " not accepted; --failed FILE keeps them to fix and send again");
    }
    for (int i = 0; i < lines.size() && i < 1_000; i++) {
      if (INVALID.equals(status[i]) && message[i] != null) {
        err.println("send: invalid: " + message[i]);
      }
    }
    return notAccepted.isEmpty() ? 0 : 1;
  }

  /** One batch, sent again while records come back unprocessed; false when no later call can succeed either. */
  private boolean sendBatch(MeteringClient client, String productCode, List<Integer> batch, UsageRecord[] records,
      String[] status, String[] message, Progress progress) throws InterruptedException {
    List<Integer> pending = new ArrayList<>(batch);
    for (int attempt = 1; !pending.isEmpty(); attempt++) {
      List<UsageRecord> sent = pending.stream().map(i -> records[i]).toList();
      BatchMeterUsageResponse response;
      try {
        response = client.batchMeterUsage(BatchMeterUsageRequest.of(productCode, sent));
      } catch (MeteringServiceException e) {
        boolean fatal = FATAL.contains(e.errorCode()) || e.statusCode() == 403;
        String why = e.errorCode() + ": " + e.serviceMessage();
        for (int i : pending) {
          status[i] = e.retryable() || fatal ? UNPROCESSED : INVALID;
          message[i] = why;
        }
        progress.advance(pending.size());
        if (fatal) {
          spec.commandLine().getErr().println("send: stopped: " + why);
        }
        return !fatal;
      } catch (MeteringClientException e) {
        for (int i : pending) {
          status[i] = UNPROCESSED;
          message[i] = e.getMessage();
        }
        progress.advance(pending.size());
        spec.commandLine().getErr().println("send: stopped: " + e.getMessage());
        return false;
      }
      // Results and unprocessed records are matched back to the lines by their content.
      Map<String, Deque<Integer>> byKey = new HashMap<>();
      for (int i : pending) {
        byKey.computeIfAbsent(key(records[i]), k -> new ArrayDeque<>()).add(i);
      }
      for (UsageRecordResult result : response.results()) {
        Integer i = result.usageRecord().map(r -> byKey.getOrDefault(key(r), new ArrayDeque<>()).poll()).orElse(null);
        if (i != null) {
          status[i] = result.status().map(s -> s.wireValue().isEmpty() ? UNPROCESSED : s.wireValue()).orElse(UNPROCESSED);
          progress.advance(1);
        }
      }
      List<Integer> again = new ArrayList<>();
      for (UsageRecord r : response.unprocessedRecords()) {
        Integer i = byKey.getOrDefault(key(r), new ArrayDeque<>()).poll();
        if (i != null) {
          again.add(i);
        }
      }
      // A record in neither list was lost on the way: send it again too.
      byKey.values().forEach(again::addAll);
      pending = again;
      if (!pending.isEmpty() && attempt >= maxAttempts) {
        for (int i : pending) {
          status[i] = UNPROCESSED;
          message[i] = "still unprocessed after " + attempt + " calls";
        }
        progress.advance(pending.size());
        return true;
      }
      if (!pending.isEmpty()) {
        long cap = Math.min(10_000, 200L << Math.min(attempt, 6));
        Thread.sleep(cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1));
      }
    }
    return true;
  }

  private static String key(UsageRecord r) {
    return r.customerAwsAccountId().orElse("") + '\u0000' + r.customerIdentifier().orElse("") + '\u0000'
        + r.dimension() + '\u0000' + r.timestamp().getEpochSecond() + '\u0000' + r.quantity();
  }

  private MeteringClient client() {
    MeteringClient.Builder builder = MeteringClient.builder();
    String chosenRegion = region != null ? region : env.getOrDefault("AWS_REGION", env.get("AWS_DEFAULT_REGION"));
    if (chosenRegion != null) {
      builder.region(chosenRegion);
    }
    if (endpoint != null) {
      URI uri;
      try {
        uri = URI.create(endpoint);
        builder.endpointOverride(uri);
      } catch (IllegalArgumentException e) {
        throw new UsageError("--endpoint '" + endpoint + "' is not an http or https URL such as http://127.0.0.1:8080");
      }
    }
    if (profile != null) {
      builder.credentialsProvider(ProfileCredentialsProvider.create(profile));
    } else if (env.get("AWS_ACCESS_KEY_ID") != null && env.get("AWS_SECRET_ACCESS_KEY") != null) {
      String session = env.get("AWS_SESSION_TOKEN");
      builder.credentials(session == null || session.isEmpty()
          ? AwsCredentials.of(env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY"))
          : AwsCredentials.session(env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY"), session, null));
    }
    try {
      return builder.build();
    } catch (MeteringClientException | IllegalStateException | IllegalArgumentException e) {
      throw new UsageError(e.getMessage() + (chosenRegion == null ? " (give --region, such as --region us-east-1)" : ""));
    }
  }

  /** Settings the client cannot work with: exit code 2. */
  private static final class UsageError extends RuntimeException {
    UsageError(String message) {
      super(message);
    }
  }

  /** Progress on standard error: a bar on a terminal, a line a second otherwise, or nothing. */
  static final class Progress {
    enum Mode { BAR, LINES, OFF }

    private final PrintWriter err;
    private final int total;
    private final Mode mode;
    private int done;
    private long lastLine;

    Progress(PrintWriter err, int total, Mode mode) {
      this.err = err;
      this.total = total;
      this.mode = mode;
      this.lastLine = System.nanoTime();
    }

    void advance(int records) {
      done += records;
      if (mode == Mode.BAR) {
        int width = 30;
        int filled = total == 0 ? width : (int) ((long) done * width / total);
        err.print("\rsend [" + "#".repeat(filled) + "-".repeat(width - filled) + "] " + done + "/" + total);
        err.flush();
      } else if (mode == Mode.LINES) {
        long now = System.nanoTime();
        if (now - lastLine >= 1_000_000_000L || done == total) {
          lastLine = now;
          err.println("send: " + done + "/" + total + " records");
        }
      }
    }

    void done() {
      if (mode == Mode.BAR && total > 0) {
        err.println();
      }
    }
  }
}
