package dev.fovea.node.pubsub;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How full one topic shard is, and who waits for it to have room. Under the backpressure policy a
 * session that finds its topic's shard over the high-water mark stops reading its client and
 * registers here; the shard wakes every waiter as soon as it has worked back under the mark, so a
 * backpressured publisher resumes within one batch of the shard catching up rather than on a timer.
 */
public final class ShardRoom {
  private final AtomicInteger depth;
  private final int highWaterMark;
  private final ConcurrentLinkedQueue<Runnable> waiters = new ConcurrentLinkedQueue<>();

  /**
   * @param depth the shard's mailbox depth, in publishes
   */
  ShardRoom(AtomicInteger depth, int highWaterMark) {
    this.depth = depth;
    this.highWaterMark = highWaterMark;
  }

  boolean isOverloaded() {
    return depth.get() > highWaterMark;
  }

  int depth() {
    return depth.get();
  }

  /**
   * Runs {@code resume} once the shard is under its mark: at once if it already is, since it may
   * have drained between the caller's check and this call.
   */
  void awaitRoom(Runnable resume) {
    waiters.add(resume);
    if (!isOverloaded()) {
      wakeAll();
    }
  }

  /** Called by the shard after each batch. */
  void onBatchDone() {
    if (!waiters.isEmpty() && !isOverloaded()) {
      wakeAll();
    }
  }

  private void wakeAll() {
    Runnable r;
    while ((r = waiters.poll()) != null) {
      r.run();
    }
  }
}
