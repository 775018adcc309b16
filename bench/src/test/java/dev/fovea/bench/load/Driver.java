package dev.fovea.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the driver's command line as a user would, and reads back the JSON line it wrote. */
final class Driver {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Driver() {}

  /** Runs a scenario briefly and returns its result; the run must have exited 0. */
  static JsonNode run(Path dir, String... args) throws Exception {
    Path out = Files.createTempFile(dir, "run", ".jsonl");
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--out", out.toString()));
    int exit = LoadDriver.commandLine().execute(all.toArray(String[]::new));
    List<String> lines = Files.readAllLines(out);
    assertThat(lines).as("one JSON line per run").hasSize(1);
    JsonNode result = JSON.readTree(lines.get(0));
    assertThat(result.path("problems")).as("problems of %s", args[0]).isEmpty();
    assertThat(exit).isZero();
    return result;
  }

  static double figure(JsonNode result, String name) {
    JsonNode value = result.path("figures").path(name);
    assertThat(value.isNumber()).as("figure %s in %s", name, result).isTrue();
    return value.asDouble();
  }
}
