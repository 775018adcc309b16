package dev.fovea.bench.load.scenario;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latencies of the messages meant to be sent inside the measured window, however late they arrive:
 * a message delayed past the end of the window still counts, so a stall cannot hide.
 */
final class LatencyWindow {
  private final Recorder recorder = new Recorder(3);
  private volatile long from = Long.MAX_VALUE;
  private volatile long until = Long.MAX_VALUE;

  /** Called by any thread that receives a stamped message. */
  void record(long intendedNanos, long nowNanos) {
    if (intendedNanos >= from && intendedNanos <= until) {
      recorder.recordValue(Math.max(0, nowNanos - intendedNanos));
    }
  }

  void open(long fromNanos) {
    recorder.reset();
    from = fromNanos;
  }

  void close(long untilNanos) {
    until = untilNanos;
  }

  /** What was recorded; call once every message of the window arrived or was given up. */
  Histogram histogram() {
    return recorder.getIntervalHistogram();
  }
}
