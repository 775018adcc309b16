package dev.fovea.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The result of one run of one scenario against one system: its parameters, its figures, and notes
 * on anything that went wrong. Written as one JSON line, which the report reads back.
 */
public final class RunReport {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, Object> run = new LinkedHashMap<>();
  private final Map<String, Object> params = new LinkedHashMap<>();
  private final Map<String, Object> figures = new LinkedHashMap<>();
  private final List<String> problems = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  public RunReport(String scenario, String label, String system) {
    run.put("scenario", scenario);
    run.put("label", label);
    run.put("system", system);
    run.put("at", Instant.now().toString());
  }

  public RunReport param(String name, Object value) {
    params.put(name, value);
    return this;
  }

  public RunReport figure(String name, double value) {
    figures.put(name, Double.isFinite(value) ? value : null);
    return this;
  }

  /** Adds the percentiles of a latency histogram kept in nanoseconds, in microseconds. */
  public RunReport latency(String prefix, Histogram nanos) {
    figure(prefix + "_samples", nanos.getTotalCount());
    if (nanos.getTotalCount() == 0) {
      problem("no " + prefix + " samples were taken");
      return this;
    }
    figure(prefix + "_p50_us", nanos.getValueAtPercentile(50) / 1e3);
    figure(prefix + "_p90_us", nanos.getValueAtPercentile(90) / 1e3);
    figure(prefix + "_p99_us", nanos.getValueAtPercentile(99) / 1e3);
    figure(prefix + "_p999_us", nanos.getValueAtPercentile(99.9) / 1e3);
    figure(prefix + "_max_us", nanos.getMaxValue() / 1e3);
    return this;
  }

  /** Something that makes the run's figures wrong or incomplete; the run then fails. */
  public RunReport problem(String problem) {
    problems.add(problem);
    return this;
  }

  /** Something a reader of the figures should know. */
  public RunReport note(String note) {
    notes.add(note);
    return this;
  }

  public boolean ok() {
    return problems.isEmpty();
  }

  public Object figure(String name) {
    return figures.get(name);
  }

  public Map<String, Object> toMap() {
    Map<String, Object> all = new LinkedHashMap<>(run);
    all.put("ok", ok());
    all.put("params", params);
    all.put("figures", figures);
    all.put("problems", problems);
    all.put("notes", notes);
    return all;
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(toMap());
    } catch (IOException e) {
      throw new IllegalStateException("a run report did not serialize: " + e, e);
    }
  }

  /** Appends the JSON line to {@code file}, creating it and its directory as needed. */
  public void append(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(
        file,
        toJson() + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  /** A few lines for the person watching the run. */
  public void print(PrintStream out) {
    out.printf("%s [%s] on %s%n", run.get("label"), run.get("scenario"), run.get("system"));
    out.println("  params:  " + params);
    figures.forEach((name, value) -> out.printf("  %-28s %s%n", name, format(value)));
    notes.forEach(note -> out.println("  note: " + note));
    problems.forEach(problem -> out.println("  PROBLEM: " + problem));
  }

  private static String format(Object value) {
    if (value instanceof Double d) {
      return d == Math.rint(d) && Math.abs(d) < 1e15
          ? String.format("%,d", d.longValue())
          : String.format("%,.2f", d);
    }
    return String.valueOf(value);
  }
}
