package dev.fovea.bench.load.profile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a node spent its CPU during a recording: the execution samples of a flight recording
 * counted by thread pool, by the method on top of the stack (self), and by every method on the
 * stack (inclusive). Text, so that a profile can sit beside the figures it explains.
 */
final class ProfileSummary {
  private final Map<String, Integer> threads = new HashMap<>();
  private final Map<String, Integer> self = new HashMap<>();
  private final Map<String, Integer> inclusive = new HashMap<>();
  private int samples;

  static ProfileSummary of(Path recording) throws IOException {
    ProfileSummary summary = new ProfileSummary();
    for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
      if (event.getEventType().getName().equals("jdk.ExecutionSample")) {
        summary.add(event);
      }
    }
    return summary;
  }

  private void add(RecordedEvent sample) {
    RecordedStackTrace stack = sample.getStackTrace();
    if (stack == null || stack.getFrames().isEmpty()) {
      return;
    }
    samples++;
    RecordedThread thread = sample.getThread("sampledThread");
    threads.merge(pool(thread), 1, Integer::sum);
    List<RecordedFrame> frames = stack.getFrames();
    self.merge(name(frames.get(0)), 1, Integer::sum);
    Set<String> seen = new HashSet<>();
    for (RecordedFrame frame : frames) {
      String method = name(frame);
      if (seen.add(method)) {
        inclusive.merge(method, 1, Integer::sum);
      }
    }
  }

  /** A thread's name with its numbers taken out, so that a pool's threads count together. */
  private static String pool(RecordedThread thread) {
    String name = thread == null ? null : thread.getJavaName();
    return name == null ? "(native)" : name.replaceAll("\\d+", "N");
  }

  private static String name(RecordedFrame frame) {
    return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
  }

  /**
   * The summary as text.
   *
   * @param top how many methods to list in each ranking
   * @param focus a package prefix whose methods get a ranking of their own, or {@code null}
   */
  String render(int top, String focus) {
    StringBuilder out = new StringBuilder();
    out.append(samples).append(" execution samples\n");
    section(out, "by thread pool", threads, top);
    section(out, "on top of the stack (self)", self, top);
    section(out, "anywhere on the stack (inclusive)", inclusive, top);
    if (focus != null) {
      Map<String, Integer> own = new HashMap<>();
      inclusive.forEach(
          (method, count) -> {
            if (method.startsWith(focus)) {
              own.put(method, count);
            }
          });
      section(out, focus + " methods, inclusive", own, top);
    }
    return out.toString();
  }

  private void section(StringBuilder out, String title, Map<String, Integer> counts, int top) {
    out.append("\n## ").append(title).append('\n');
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()))
        .limit(top)
        .forEach(
            e ->
                out.append(
                    String.format(
                        "%6d  %5.1f %%  %s%n",
                        e.getValue(), 100.0 * e.getValue() / Math.max(1, samples), e.getKey())));
  }
}
