package io.meterbridge.server.faults;

import io.meterbridge.model.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SplittableRandom;

/**
 * The faults in force on a server, changed at run time by the admin API: for each call, the rules
 * are tried in order and the first that fires applies (one fault per call). A rule with a {@code
 * count} fires on that many matching calls; one with a {@code probability} on that share of them,
 * drawn from a generator seeded by the plan, so a run with the same seed and the same calls in the
 * same order fires the same faults. Thread-safe; a call costs one volatile read while there are no
 * rules.
 */
public final class Faults {
  /** A rule, how often it fired, and for a count rule how many firings are left. */
  public record Status(FaultRule rule, long fired, OptionalInt remaining) {}

  private volatile FaultPlan plan = FaultPlan.none();
  private long[] fired = new long[0];
  private int[] remaining = new int[0];
  private SplittableRandom random = new SplittableRandom(0);

  /** Replaces the rules (their counts start again) and reseeds the draws. */
  public synchronized void apply(FaultPlan next) {
    fired = new long[next.rules().size()];
    remaining = new int[next.rules().size()];
    for (int i = 0; i < remaining.length; i++) {
      remaining[i] = next.rules().get(i).count().orElse(0);
    }
    random = new SplittableRandom(next.seed());
    plan = next;
  }

  /** No faults any more. */
  public void clear() {
    apply(FaultPlan.none());
  }

  /** The plan in force. */
  public FaultPlan plan() {
    return plan;
  }

  /** Each rule with how often it fired and, for count rules, how many firings are left. */
  public synchronized List<Status> status() {
    List<Status> out = new ArrayList<>();
    for (int i = 0; i < plan.rules().size(); i++) {
      FaultRule r = plan.rules().get(i);
      out.add(new Status(r, fired[i], r.count().isPresent() ? OptionalInt.of(remaining[i]) : OptionalInt.empty()));
    }
    return out;
  }

  /** The fault for one call of {@code operation}, if a rule fires. */
  Optional<FaultRule> draw(Operation<?, ?> operation) {
    if (plan.rules().isEmpty()) {
      return Optional.empty();
    }
    synchronized (this) {
      List<FaultRule> rules = plan.rules();
      for (int i = 0; i < rules.size(); i++) {
        FaultRule r = rules.get(i);
        if (!r.matches(operation)) {
          continue;
        }
        boolean fires = r.count().isPresent() ? remaining[i] > 0 : random.nextDouble() < r.probability().orElseThrow();
        if (fires) {
          if (r.count().isPresent()) {
            remaining[i]--;
          }
          fired[i]++;
          return Optional.of(r);
        }
      }
      return Optional.empty();
    }
  }

  /** A number from the plan's generator below {@code bound}, for choosing unprocessed records. */
  synchronized int nextInt(int bound) {
    return random.nextInt(bound);
  }
}
