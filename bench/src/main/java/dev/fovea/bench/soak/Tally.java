package dev.fovea.bench.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Rounds done and failed, by kind of client, and the first few failures in words. */
final class Tally {
  private static final int KEPT_FAILURES = 10;

  private final Map<String, LongAdder> done = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> failed = new ConcurrentHashMap<>();
  private final List<String> firstFailures = new ArrayList<>();

  void done(String kind) {
    done.computeIfAbsent(kind, k -> new LongAdder()).increment();
  }

  void failed(String kind, long round, Exception e) {
    failed.computeIfAbsent(kind, k -> new LongAdder()).increment();
    synchronized (firstFailures) {
      if (firstFailures.size() < KEPT_FAILURES) {
        firstFailures.add(kind + " round " + round + ": " + e);
      }
    }
  }

  long done() {
    return done.values().stream().mapToLong(LongAdder::sum).sum();
  }

  long failed() {
    return failed.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** Rounds done by kind, in name order, such as {@code direct 1200, mesh 600}. */
  String doneByKind() {
    Map<String, Long> sorted = new TreeMap<>();
    done.forEach((kind, n) -> sorted.put(kind, n.sum()));
    return sorted.toString().replaceAll("[{}]", "").replace('=', ' ');
  }

  List<String> firstFailures() {
    synchronized (firstFailures) {
      return List.copyOf(firstFailures);
    }
  }
}
