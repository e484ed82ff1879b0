package io.meterbridge.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The group committer's hand-off to a {@link GroupCommitter.CommitSync}: no answer before the sync. */
class GroupCommitterTest {
  private static PendingWrite.Task task(String id) {
    return new PendingWrite.Task(id, "prod", "111122223333", Instant.EPOCH);
  }

  /** A writer that answers every task and counts its groups. */
  private static GroupCommitter.GroupWriter answering(AtomicInteger groups) {
    return group -> {
      groups.incrementAndGet();
      for (PendingWrite w : group) {
        ((PendingWrite.Task) w).registration = new TaskRegistration(true, Instant.EPOCH, Instant.EPOCH, 1);
      }
    };
  }

  @Test
  void aCommittedWriteIsAnsweredOnlyOnceTheSyncReturns_andTheWriterGoesOnMeanwhile() throws Exception {
    CountDownLatch syncEntered = new CountDownLatch(1);
    CountDownLatch releaseSync = new CountDownLatch(1);
    AtomicInteger groups = new AtomicInteger();
    GroupCommitter committer = new GroupCommitter("test", 100, 100, answering(groups), () -> {
      syncEntered.countDown();
      try {
        releaseSync.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    try {
      PendingWrite.Task first = task("first");
      committer.submit(first);
      assertThat(syncEntered.await(10, TimeUnit.SECONDS)).isTrue();
      // The first group's sync is running: the writer commits the next group meanwhile...
      PendingWrite.Task second = task("second");
      committer.submit(second);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (groups.get() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(groups.get()).as("groups committed while the first sync runs").isEqualTo(2);
      // ...and nobody has an answer before the sync returns.
      assertThat(first.future).isNotDone();
      assertThat(second.future).isNotDone();
      releaseSync.countDown();
      assertThat(first.future.get(10, TimeUnit.SECONDS).first()).isTrue();
      assertThat(second.future.get(10, TimeUnit.SECONDS).first()).isTrue();
    } finally {
      releaseSync.countDown();
      committer.close();
    }
  }

  @Test
  void oneSyncCoversEveryGroupCommittedBeforeItBegan() throws Exception {
    AtomicInteger groups = new AtomicInteger();
    AtomicInteger syncs = new AtomicInteger();
    CountDownLatch releaseSync = new CountDownLatch(1);
    GroupCommitter committer = new GroupCommitter("test", 1_000, 1, answering(groups), () -> {
      if (syncs.incrementAndGet() == 1) {
        try {
          releaseSync.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    });
    List<CompletableFuture<TaskRegistration>> answers = new ArrayList<>();
    try {
      // A group of one write each (maxGroupRows 1); the first sync holds the completion thread
      // until all of them are committed.
      for (int i = 0; i < 50; i++) {
        PendingWrite.Task t = task("task-" + i);
        committer.submit(t);
        answers.add(t.future);
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (groups.get() < 50 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      releaseSync.countDown();
      CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
      assertThat(groups.get()).isEqualTo(50);
      assertThat(syncs.get()).as("syncs for 50 groups").isBetween(1, 2);
    } finally {
      releaseSync.countDown();
      committer.close();
    }
  }

  @Test
  void aFailedSyncAnswersTheStoreIsUnavailable() {
    GroupCommitter committer = new GroupCommitter("test", 10, 10, answering(new AtomicInteger()), () -> {
      throw new IOException("Input/output error");
    });
    try {
      PendingWrite.Task t = task("t");
      committer.submit(t);
      assertThatThrownBy(t.future::join)
          .isInstanceOf(CompletionException.class)
          .cause()
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("could not be flushed to disk: Input/output error");
    } finally {
      committer.close();
    }
  }

  @Test
  void aFailedCommitIsNotSynced() {
    AtomicInteger syncs = new AtomicInteger();
    GroupCommitter committer = new GroupCommitter("test", 10, 10, group -> {
      throw new StoreException("constraint failed");
    }, syncs::incrementAndGet);
    try {
      PendingWrite.Task t = task("t");
      committer.submit(t);
      assertThatThrownBy(t.future::join).cause().hasMessageContaining("constraint failed");
      assertThat(syncs.get()).isZero();
    } finally {
      committer.close();
    }
  }
}
