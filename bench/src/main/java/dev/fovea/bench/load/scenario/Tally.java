package dev.fovea.bench.load.scenario;

import dev.fovea.bench.load.target.Inbox;
import java.util.concurrent.atomic.AtomicLong;

/** A subscriber's count of what it actually received, and the latency of each stamped message. */
final class Tally implements Inbox {
  private final AtomicLong received = new AtomicLong();
  private final LatencyWindow latency;

  Tally(LatencyWindow latency) {
    this.latency = latency;
  }

  @Override
  public void accept(byte[] payload) {
    if (latency != null && payload.length >= Stamps.MIN_PAYLOAD) {
      latency.record(Stamps.stamp(payload), System.nanoTime());
    }
    received.incrementAndGet();
  }

  long received() {
    return received.get();
  }

  static long sum(Iterable<Tally> tallies) {
    long sum = 0;
    for (Tally tally : tallies) {
      sum += tally.received();
    }
    return sum;
  }
}
