package io.meterbridge.client.internal;

import io.meterbridge.exception.MeteringException;
import io.meterbridge.exception.MeteringServiceException;
import java.net.http.HttpHeaders;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/**
 * Recognises an error caused by our clock, not by the request, and says by how much to correct
 * it, as the AWS SDKs do: the service refuses a signature dated more than 5 minutes from its own
 * time, so a machine whose clock drifted fails every call until someone notices.
 *
 * <p>A skew error is one whose code says so ({@code RequestTimeTooSkewed}, {@code RequestExpired},
 * {@code RequestInTheFuture}, or {@code InvalidSignatureException} with "Signature expired" or
 * "not yet current" in its message), or any 400/401/403 whose {@code Date} header is more than 4
 * minutes from our clock. The correction is the {@code Date} header minus our clock; with no
 * {@code Date} there is nothing to correct by, and the error stands. Looked at only for error
 * responses: a successful call pays nothing.
 */
final class ClockSkew {
  /** Beyond this, a Date header on an auth error is taken as our clock being wrong. */
  static final long THRESHOLD_MILLIS = 4 * 60 * 1000;

  private ClockSkew() {}

  /**
   * The offset to add to our clock (milliseconds), when {@code failure} is a skew error and the
   * response dates itself; empty otherwise.
   */
  static Optional<Long> correction(int status, HttpHeaders headers, MeteringException failure,
      Instant ours) {
    if (!(failure instanceof MeteringServiceException service)) {
      return Optional.empty();
    }
    Optional<Instant> theirs = serverTime(headers);
    if (theirs.isEmpty()) {
      return Optional.empty();
    }
    long offset = theirs.get().toEpochMilli() - ours.toEpochMilli();
    boolean far = Math.abs(offset) > THRESHOLD_MILLIS;
    if (skewCode(service) || far && (status == 400 || status == 401 || status == 403)) {
      return Optional.of(offset);
    }
    return Optional.empty();
  }

  static boolean skewCode(MeteringServiceException e) {
    String code = e.errorCode();
    if (code.equals("RequestTimeTooSkewed") || code.equals("RequestExpired")
        || code.equals("RequestInTheFuture")) {
      return true;
    }
    if (code.equals("InvalidSignatureException")) {
      String message = e.serviceMessage().toLowerCase(Locale.ROOT);
      return message.contains("signature expired") || message.contains("not yet current");
    }
    return false;
  }

  static Optional<Instant> serverTime(HttpHeaders headers) {
    Optional<String> date = headers.firstValue("Date");
    if (date.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(DateTimeFormatter.RFC_1123_DATE_TIME.parse(date.get().strip(), Instant::from));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
