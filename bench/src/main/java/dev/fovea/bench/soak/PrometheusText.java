package dev.fovea.bench.soak;

import java.util.HashMap;
import java.util.Map;

/** The samples of one scrape in the Prometheus text format, summed by metric name. */
final class PrometheusText {
  private final Map<String, Double> sums;

  private PrometheusText(Map<String, Double> sums) {
    this.sums = sums;
  }

  static PrometheusText parse(String text) {
    Map<String, Double> sums = new HashMap<>();
    for (String line : text.split("\n")) {
      String sample = line.trim();
      if (sample.isEmpty() || sample.startsWith("#")) {
        continue;
      }
      int space = sample.lastIndexOf(' ');
      int brace = sample.indexOf('{');
      String name = sample.substring(0, brace >= 0 && brace < space ? brace : space);
      double value = Double.parseDouble(sample.substring(space + 1).replace("Inf", "Infinity"));
      sums.merge(name, value, Double::sum);
    }
    return new PrometheusText(sums);
  }

  /** The sum over every label of the samples named {@code name}; 0 if there is none. */
  double sum(String name) {
    return sums.getOrDefault(name, 0.0);
  }
}
