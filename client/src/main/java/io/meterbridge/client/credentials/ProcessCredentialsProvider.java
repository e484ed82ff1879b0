package io.meterbridge.client.credentials;

import io.meterbridge.auth.AwsCredentials;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Credentials printed by the {@code credential_process} command of a profile.
 *
 * <p>The command runs through the shell ({@code sh -c}, or {@code cmd /C} on Windows) like in
 * the AWS CLI; its standard error goes to ours so that it can prompt, its standard output must be
 * {@code {"Version": 1, "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"}}.
 * Credentials with an expiry are cached and refreshed like the endpoint providers'.
 */
final class ProcessCredentialsProvider implements CredentialsProvider {

  static final Duration TIMEOUT = Duration.ofMinutes(1);
  private static final int MAX_OUTPUT = 64 * 1024;

  private final String command;
  private final String source;
  private final RefreshingCredentials cache;

  ProcessCredentialsProvider(String command, String source, Environment environment) {
    this.command = Objects.requireNonNull(command, "command");
    this.source = Objects.requireNonNull(source, "source");
    this.cache = new RefreshingCredentials(this::fetch, environment.clock());
  }

  @Override
  public AwsCredentials resolveCredentials() {
    return cache.resolveCredentials();
  }

  private AwsCredentials fetch() {
    boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win");
    List<String> shell = windows ? List.of("cmd.exe", "/C", command) : List.of("sh", "-c", command);
    Process process;
    try {
      process = new ProcessBuilder(shell)
          .redirectError(ProcessBuilder.Redirect.INHERIT)
          .redirectInput(ProcessBuilder.Redirect.INHERIT)
          .start();
    } catch (IOException e) {
      throw new CredentialsException("Cannot start the credential_process of " + source, e);
    }
    try {
      // Read on another thread: a helper that hangs with its output open must still time out.
      FutureTask<String> output = new FutureTask<>(() -> readLimited(process.getInputStream()));
      Thread reader = new Thread(output, "credential-process-reader");
      reader.setDaemon(true);
      reader.start();
      String text;
      try {
        text = output.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        throw new CredentialsException(
            "The credential_process of " + source + " did not finish within " + TIMEOUT);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof CredentialsException tooLong) {
          throw tooLong;
        }
        throw new CredentialsException(
            "Cannot read the output of the credential_process of " + source, e.getCause());
      }
      if (process.isAlive()) {
        throw new CredentialsException(
            "The credential_process of " + source + " did not finish within " + TIMEOUT);
      }
      if (process.exitValue() != 0) {
        // Its output is not quoted: a failing helper may still have printed secrets.
        throw new CredentialsException("The credential_process of " + source
            + " exited with status " + process.exitValue());
      }
      String what = "the credential_process of " + source;
      CredentialsDocument document = CredentialsDocument.parse(text, what);
      String version = document.field("Version").orElse("");
      if (!version.equals("1")) {
        throw new CredentialsException(
            "The output of " + what + " must have \"Version\": 1, not '" + version + "'");
      }
      return document.credentials("SessionToken");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CredentialsException("Interrupted waiting for the credential_process of "
          + source, e);
    } finally {
      process.destroyForcibly();
    }
  }

  private String readLimited(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    int n;
    while ((n = in.read(buffer)) >= 0) {
      if (out.size() + n > MAX_OUTPUT) {
        throw new CredentialsException("The credential_process of " + source
            + " printed more than " + MAX_OUTPUT + " bytes");
      }
      out.write(buffer, 0, n);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "ProcessCredentialsProvider[" + source + "]";
  }
}
