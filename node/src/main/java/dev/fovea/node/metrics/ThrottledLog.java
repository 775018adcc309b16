package dev.fovea.node.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets a line through at most once per interval and per key, and says how many were held back since
 * the last one. Refusals and drops are counted in metrics; the log only tells an operator that they
 * happen.
 */
public final class ThrottledLog {
  private final long intervalNanos;
  private final Map<String, AtomicLong> lastByKey = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> suppressedByKey = new ConcurrentHashMap<>();

  public ThrottledLog(Duration interval) {
    this.intervalNanos = interval.toNanos();
  }

  /**
   * Returns -1 when the line for {@code key} must be held back, otherwise the number of lines held
   * back since the last one let through.
   */
  public long admit(String key) {
    long now = System.nanoTime();
    AtomicLong last = lastByKey.computeIfAbsent(key, k -> new AtomicLong(now - intervalNanos));
    AtomicLong suppressed = suppressedByKey.computeIfAbsent(key, k -> new AtomicLong());
    long previous = last.get();
    if (now - previous >= intervalNanos && last.compareAndSet(previous, now)) {
      return suppressed.getAndSet(0);
    }
    suppressed.incrementAndGet();
    return -1;
  }
}
