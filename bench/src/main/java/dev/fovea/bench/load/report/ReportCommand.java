package dev.fovea.bench.load.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fovea bench report}: turns a results directory's {@code runs.jsonl} into {@code
 * results.md} and {@code chart.png}, with {@code machine.txt} (written by the script) quoted.
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = "Write results.md and chart.png from a results directory's runs.jsonl.")
public final class ReportCommand implements Callable<Integer> {
  @Option(names = "--dir", required = true, description = "The results directory.")
  Path dir;

  @Option(names = "--title", defaultValue = "Fovea beside NATS, Mosquitto and Pekko")
  String title;

  @Override
  public Integer call() throws Exception {
    ObjectMapper json = new ObjectMapper();
    List<Run> runs = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve("runs.jsonl"), StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        runs.add(Run.from(json.readTree(line)));
      }
    }
    Results results = new Results(runs);
    Path machine = dir.resolve("machine.txt");
    String machineText = Files.exists(machine) ? Files.readString(machine) : "(not recorded)\n";
    String dirName = dir.toAbsolutePath().normalize().getFileName().toString();

    StringBuilder md = new StringBuilder();
    md.append("# ").append(title).append(", ").append(dirName).append("\n\n");
    md.append(
        "Every system ran on this machine in turn, alone, with the load driver on the same"
            + " machine. Rates count what subscribers received; ↑ marks figures where more is"
            + " better, ↓ where less is. \"Fovea / peer\" divides Fovea's figure by the peer's.\n\n");
    md.append("## Bars\n\n").append(ResultsTable.bars(results)).append('\n');
    md.append("![chart](chart.png)\n\n");
    md.append("## Figures\n\n").append(ResultsTable.figures(results)).append('\n');
    md.append("## Runs\n\n").append(ResultsTable.parameters(results)).append('\n');
    String problemsAndNotes = ResultsTable.problemsAndNotes(results);
    if (!problemsAndNotes.isEmpty()) {
      md.append("## Problems and notes\n\n").append(problemsAndNotes).append('\n');
    }
    md.append("## Machine and settings\n\n```text\n").append(machineText).append("```\n");
    Files.writeString(dir.resolve("results.md"), md.toString(), StandardCharsets.UTF_8);

    Chart.write(results, title + ", " + dirName, dir.resolve("chart.png"));
    System.out.println("report: " + dir.resolve("results.md") + ", " + dir.resolve("chart.png"));
    return 0;
  }
}
