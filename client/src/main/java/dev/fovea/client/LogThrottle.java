package dev.fovea.client;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Lets a repeated warning through at most once per interval, counting what it held back. */
final class LogThrottle {
  private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final AtomicLong nextAllowed = new AtomicLong(System.nanoTime());
  private final AtomicLong suppressed = new AtomicLong();

  /** The number of occurrences held back since the last one let through, or -1 to stay quiet. */
  long acquire() {
    long now = System.nanoTime();
    long allowed = nextAllowed.get();
    if (now - allowed < 0 || !nextAllowed.compareAndSet(allowed, now + INTERVAL_NANOS)) {
      suppressed.incrementAndGet();
      return -1;
    }
    return suppressed.getAndSet(0);
  }

  /** The note to append to a warning that {@link #acquire()} let through. */
  static String heldBack(long held) {
    return held > 0 ? " (" + held + " more since the last warning)" : "";
  }
}
