package dev.fovea.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The memory of a server process: resident set from {@code /proc}, JVM heap through jcmd. */
public final class ProcessMemory {
  private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");
  private static final Pattern TOTAL = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)\\s*$");

  private ProcessMemory() {}

  /** Resident memory in bytes. */
  public static long residentBytes(long pid) throws IOException {
    String status = Files.readString(Path.of("/proc", Long.toString(pid), "status"));
    Matcher m = RSS.matcher(status);
    if (!m.find()) {
      throw new IOException("no VmRSS in /proc/" + pid + "/status");
    }
    return Long.parseLong(m.group(1)) * 1024;
  }

  /**
   * The bytes of the JVM's live objects: {@code jcmd GC.class_histogram} runs a full collection
   * first and counts only what survived it. Reading the heap's "used" after {@code GC.run} instead
   * would also count what the process allocated between the two commands.
   */
  public static long heapAfterFullGc(long pid) throws IOException, InterruptedException {
    return liveBytes(jcmd(pid, "GC.class_histogram"));
  }

  /** The byte count of the histogram's closing {@code Total} line. */
  static long liveBytes(String histogram) throws IOException {
    Matcher m = TOTAL.matcher(histogram);
    if (!m.find()) {
      throw new IOException("jcmd GC.class_histogram gave no total: " + histogram);
    }
    return Long.parseLong(m.group(1));
  }

  private static String jcmd(long pid, String command) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder("jcmd", Long.toString(pid), command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException("jcmd " + pid + " " + command + " failed: " + output);
    }
    return output;
  }
}
