package io.meterbridge.server.metering;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The hourly usage of a paid container task or pod, from the RegisterUsage calls the server saw.
 *
 * <p>"RegisterUsage meters software use per ECS task, per hour, or per pod for Amazon EKS with
 * usage prorated to the second. A minimum of 1 minute of usage applies to tasks that are short
 * lived." The server cannot see a task stop, so it infers the task's lifetime from its calls: it
 * ran from its first call to its last. Software that calls RegisterUsage only at launch is metered
 * the one-minute minimum; software that calls again from time to time (every few minutes, say)
 * extends its lifetime with each call, and is metered to the second up to its last call.
 *
 * <pre>{@code
 * List<TaskUsage.Hour> hours = TaskUsage.hourly(task.firstSeen(), task.lastSeen());
 * }</pre>
 */
public final class TaskUsage {
  /** The minimum a task is metered, however short its life. */
  public static final Duration MINIMUM = Duration.ofMinutes(1);

  private TaskUsage() {}

  /**
   * The seconds of one clock hour that a task ran.
   *
   * @param hour the start of the hour (UTC)
   * @param seconds how many seconds of that hour the task ran, 1 to 3600
   */
  public record Hour(Instant hour, long seconds) {}

  /** The task's usage per clock hour, from its first to its last call, at least one minute in all. */
  public static List<Hour> hourly(Instant firstSeen, Instant lastSeen) {
    Instant start = firstSeen.truncatedTo(ChronoUnit.SECONDS);
    Instant end = lastSeen.truncatedTo(ChronoUnit.SECONDS);
    if (Duration.between(start, end).compareTo(MINIMUM) < 0) {
      end = start.plus(MINIMUM);
    }
    List<Hour> hours = new ArrayList<>();
    Instant hour = start.truncatedTo(ChronoUnit.HOURS);
    while (hour.isBefore(end)) {
      Instant next = hour.plus(Duration.ofHours(1));
      Instant from = start.isAfter(hour) ? start : hour;
      Instant to = end.isBefore(next) ? end : next;
      hours.add(new Hour(hour, Duration.between(from, to).getSeconds()));
      hour = next;
    }
    return hours;
  }
}
