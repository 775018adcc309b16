package dev.fovea.bench.soak;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The node's heap after a full collection, read with {@code jcmd}: {@code GC.run} twice (the second
 * collects what the first only made unreachable, such as objects whose cleaners ran), then {@code
 * GC.heap_info} for the bytes used by the generations and by metaspace, then {@code
 * GC.class_histogram} for the live bytes by class, which says what grew when the heap did.
 *
 * @param usedBytes heap used after the full collection, all generations
 * @param liveBytes the total of the class histogram, which collects again before counting
 */
record HeapReading(
    long usedBytes, long metaspaceBytes, long liveBytes, Map<String, Long> bytesByClass) {

  // " def new generation   total 78656K, used 1398K [..." and " tenured generation   total ..."
  private static final Pattern GENERATION =
      Pattern.compile(
          "^\\s*\\S.*?generation\\s+total\\s+\\d+K,\\s+used\\s+(\\d+)K", Pattern.MULTILINE);
  // G1 and the others print one line for the whole heap instead.
  private static final Pattern HEAP_TOTAL =
      Pattern.compile("^\\s*\\S.*?heap\\s+total\\s+\\d+K,\\s+used\\s+(\\d+)K", Pattern.MULTILINE);
  private static final Pattern METASPACE =
      Pattern.compile("^\\s*Metaspace\\s+used\\s+(\\d+)K", Pattern.MULTILINE);
  // "   1:         12345        1234567  [B (java.base@17.0.9)"
  private static final Pattern HISTOGRAM_ROW =
      Pattern.compile("^\\s*\\d+:\\s+\\d+\\s+(\\d+)\\s+(\\S+)", Pattern.MULTILINE);
  private static final Pattern HISTOGRAM_TOTAL =
      Pattern.compile("^Total\\s+\\d+\\s+(\\d+)", Pattern.MULTILINE);

  static HeapReading take(NodeUnderSoak node) throws IOException, InterruptedException {
    node.jcmd("GC.run");
    node.jcmd("GC.run");
    String heapInfo = node.jcmd("GC.heap_info");
    String histogram = node.jcmd("GC.class_histogram");

    long used = sumKilobytes(GENERATION, heapInfo);
    if (used == 0) {
      used = sumKilobytes(HEAP_TOTAL, heapInfo);
    }
    Map<String, Long> byClass = new HashMap<>();
    Matcher row = HISTOGRAM_ROW.matcher(histogram);
    while (row.find()) {
      byClass.merge(row.group(2), Long.parseLong(row.group(1)), Long::sum);
    }
    Matcher total = HISTOGRAM_TOTAL.matcher(histogram);
    if (used == 0 || !total.find()) {
      throw new IllegalStateException("cannot read the heap from jcmd:\n" + heapInfo + histogram);
    }
    return new HeapReading(
        used, sumKilobytes(METASPACE, heapInfo), Long.parseLong(total.group(1)), byClass);
  }

  /** The classes whose live bytes grew most from {@code start} to this reading, largest first. */
  List<String> growthSince(HeapReading start, int limit) {
    List<Map.Entry<String, Long>> grown = new ArrayList<>();
    for (Map.Entry<String, Long> e : bytesByClass.entrySet()) {
      long delta = e.getValue() - start.bytesByClass.getOrDefault(e.getKey(), 0L);
      if (delta > 0) {
        grown.add(Map.entry(e.getKey(), delta));
      }
    }
    grown.sort(Map.Entry.<String, Long>comparingByValue().reversed());
    return grown.stream()
        .limit(limit)
        .map(e -> String.format("%+,12d B  %s", e.getValue(), e.getKey()))
        .toList();
  }

  private static long sumKilobytes(Pattern pattern, String text) {
    long kilobytes = 0;
    Matcher m = pattern.matcher(text);
    while (m.find()) {
      kilobytes += Long.parseLong(m.group(1));
    }
    return kilobytes * 1024;
  }
}
