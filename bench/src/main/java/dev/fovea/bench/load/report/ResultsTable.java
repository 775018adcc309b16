package dev.fovea.bench.load.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The Markdown of a comparison: the bars with their verdicts, then every figure side by side. */
final class ResultsTable {
  /** The figures shown for each scenario, with whether more is better. */
  private static final Map<String, List<Shown>> SHOWN =
      Map.of(
          "pubsub",
          List.of(
              new Shown("delivered_per_s", "delivered msgs/s", true),
              new Shown("lost", "lost messages", false),
              new Shown("latency_p50_us", "latency p50 µs", false),
              new Shown("latency_p99_us", "latency p99 µs", false),
              new Shown("latency_p999_us", "latency p99.9 µs", false)),
          "fanout",
          List.of(
              new Shown("deliveries_per_s", "deliveries/s", true),
              new Shown("lost", "lost deliveries", false),
              new Shown("latency_p50_us", "latency p50 µs", false),
              new Shown("latency_p99_us", "latency p99 µs", false)),
          "rpc",
          List.of(
              new Shown("calls_per_s", "calls/s", true),
              new Shown("rtt_p50_us", "round trip p50 µs", false),
              new Shown("rtt_p99_us", "round trip p99 µs", false),
              new Shown("rtt_p999_us", "round trip p99.9 µs", false),
              new Shown("failed_calls", "failed calls", false)),
          "patterns",
          List.of(
              new Shown("publishes_per_s", "publishes/s processed", true),
              new Shown("lost", "lost publishes", false),
              new Shown("subscribe_s", "seconds to subscribe", false)),
          "connections",
          List.of(
              new Shown("admitted", "sessions admitted", true),
              new Shown("accept_per_s", "sessions accepted/s", true),
              new Shown("heap_per_session_bytes", "heap per session, bytes", false),
              new Shown("rss_per_session_bytes", "resident memory per session, bytes", false)),
          "cluster",
          List.of(
              new Shown("cross_node_per_s", "cross-node msgs/s", true),
              new Shown("lost", "lost messages", false)));

  record Shown(String figure, String title, boolean higherIsBetter) {}

  private ResultsTable() {}

  static String bars(Results results) {
    StringBuilder md = new StringBuilder();
    md.append("| scenario | Fovea bar | against | Fovea | peer | verdict |\n");
    md.append("|---|---|---|---:|---:|---|\n");
    for (Bars.Bar bar : Bars.ALL) {
      Optional<Double> fovea = results.figure(bar.label(), "fovea", bar.figure());
      Optional<Double> peer =
          bar.peer() == null
              ? Optional.empty()
              : results.figure(bar.label(), bar.peer(), bar.figure());
      md.append("| ")
          .append(bar.scenario())
          .append(" | ")
          .append(bar.shownBar())
          .append(" | ")
          .append(bar.shownAgainst())
          .append(" | ")
          .append(fovea.map(Results::format).orElse("not run"))
          .append(" | ")
          .append(
              bar.peer() == null
                  ? ""
                  : peer.map(v -> bar.peer() + " " + Results.format(v))
                      .orElse(bar.peer() + " not run"))
          .append(" | ")
          .append(verdict(bar, fovea, peer))
          .append(" |\n");
    }
    return md.toString();
  }

  static String verdict(Bars.Bar bar, Optional<Double> fovea, Optional<Double> peer) {
    if (fovea.isEmpty()) {
      return "missed: no figure";
    }
    double value = fovea.get();
    boolean barMet = bar.higherIsBetter() ? value >= bar.bar() : value < bar.bar();
    String verdict = barMet ? "bar met" : "bar missed";
    if (bar.peer() != null) {
      if (peer.isEmpty()) {
        verdict += "; peer not measured";
      } else {
        double target = peer.get() * bar.factor();
        boolean peerMet = bar.higherIsBetter() ? value >= target : value <= target;
        verdict += peerMet ? "; peer met" : "; peer missed";
        verdict += " (" + Results.ratio(value / peer.get()) + "× " + bar.peer() + ")";
        barMet &= peerMet;
      }
    }
    return (barMet ? "**met**: " : "**missed**: ") + verdict;
  }

  static String figures(Results results) {
    StringBuilder md = new StringBuilder();
    md.append("| run | figure | fovea | nats | mosquitto | pekko | Fovea / peer |\n");
    md.append("|---|---|---:|---:|---:|---:|---|\n");
    for (String label : results.labels()) {
      List<String> systems = results.systems(label);
      Run first = results.run(label, systems.get(0)).orElseThrow();
      for (Shown shown : SHOWN.getOrDefault(first.scenario(), List.of())) {
        if (systems.stream().allMatch(s -> results.figure(label, s, shown.figure()).isEmpty())) {
          continue;
        }
        md.append("| ").append(label).append(" | ").append(shown.title());
        md.append(shown.higherIsBetter() ? " ↑" : " ↓");
        Optional<Double> fovea = results.figure(label, "fovea", shown.figure());
        StringBuilder ratios = new StringBuilder();
        for (String system : Results.SYSTEMS) {
          Optional<Run> run = results.run(label, system);
          Optional<Double> value = results.figure(label, system, shown.figure());
          md.append(" | ");
          if (run.isEmpty()) {
            md.append("–");
          } else if (!run.get().ok()) {
            md.append("failed");
          } else {
            md.append(value.map(Results::format).orElse("–"));
          }
          if (!system.equals("fovea")
              && fovea.isPresent()
              && value.isPresent()
              && value.get() != 0) {
            ratios.append(ratios.length() == 0 ? "" : ", ");
            ratios.append(Results.ratio(fovea.get() / value.get())).append("× ").append(system);
          }
        }
        md.append(" | ").append(ratios).append(" |\n");
      }
    }
    return md.toString();
  }

  static String parameters(Results results) {
    StringBuilder md = new StringBuilder();
    md.append("| run | scenario | parameters |\n|---|---|---|\n");
    for (String label : results.labels()) {
      Run first = results.run(label, results.systems(label).get(0)).orElseThrow();
      md.append("| ").append(label).append(" | ").append(first.scenario()).append(" | ");
      StringBuilder params = new StringBuilder();
      first
          .params()
          .forEach(
              (k, v) ->
                  params.append(params.length() == 0 ? "" : ", ").append(k).append(" ").append(v));
      md.append(params).append(" |\n");
    }
    return md.toString();
  }

  static String problemsAndNotes(Results results) {
    StringBuilder md = new StringBuilder();
    for (Run run : results.runs()) {
      for (String problem : run.problems()) {
        md.append("- **")
            .append(run.label())
            .append(" on ")
            .append(run.system())
            .append("**: ")
            .append(problem)
            .append('\n');
      }
    }
    Map<String, List<String>> notes = new LinkedHashMap<>();
    for (Run run : results.runs()) {
      for (String note : run.notes()) {
        notes
            .computeIfAbsent(note, n -> new ArrayList<>())
            .add(run.label() + " on " + run.system());
      }
    }
    notes.forEach(
        (note, where) ->
            md.append("- ")
                .append(note)
                .append(" (")
                .append(String.join(", ", where))
                .append(")\n"));
    return md.toString();
  }
}
