package dev.fovea.bench.load.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The runs of one comparison, by label and system; the last run of a pair wins. */
final class Results {
  static final List<String> SYSTEMS = List.of("fovea", "nats", "mosquitto", "pekko");

  /** The runs of {@code bench/compare.sh}, in the order a reader takes them. */
  static final List<String> ORDER =
      List.of(
          "pubsub-1x1",
          "pubsub-1x1-rate",
          "pubsub-4x4-wildcard",
          "fanout-100",
          "rpc-64",
          "rpc-1",
          "patterns-100k",
          "cluster-3",
          "connections-10k");

  private final Map<String, Map<String, Run>> byLabel = new LinkedHashMap<>();
  private final List<Run> runs;

  Results(List<Run> runs) {
    this.runs = List.copyOf(runs);
    for (Run run : runs) {
      byLabel.computeIfAbsent(run.label(), label -> new LinkedHashMap<>()).put(run.system(), run);
    }
  }

  List<Run> runs() {
    return runs;
  }

  /** The labels in the order of {@link #ORDER}, then any others in the order they ran. */
  List<String> labels() {
    List<String> labels = new ArrayList<>();
    for (String label : ORDER) {
      if (byLabel.containsKey(label)) {
        labels.add(label);
      }
    }
    for (String label : byLabel.keySet()) {
      if (!labels.contains(label)) {
        labels.add(label);
      }
    }
    return labels;
  }

  Optional<Run> run(String label, String system) {
    return Optional.ofNullable(byLabel.getOrDefault(label, Map.of()).get(system));
  }

  /** A figure of a run that went well; a failed run's figures are not compared. */
  Optional<Double> figure(String label, String system, String figure) {
    return run(label, system).filter(Run::ok).map(run -> run.figure(figure));
  }

  /** The systems that ran a label, in the order of {@link #SYSTEMS}. */
  List<String> systems(String label) {
    List<String> systems = new ArrayList<>();
    for (String system : SYSTEMS) {
      if (run(label, system).isPresent()) {
        systems.add(system);
      }
    }
    return systems;
  }

  static String format(double value) {
    double magnitude = Math.abs(value);
    if (magnitude >= 1000 || value == Math.rint(value)) {
      return String.format("%,.0f", value);
    }
    return magnitude >= 10 ? String.format("%.1f", value) : String.format("%.2f", value);
  }

  /** A ratio of two figures, with two decimals while it is small enough to need them. */
  static String ratio(double ratio) {
    return ratio >= 100 ? String.format("%,.0f", ratio) : String.format("%.2f", ratio);
  }
}
