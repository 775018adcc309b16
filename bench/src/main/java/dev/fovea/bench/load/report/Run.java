package dev.fovea.bench.load.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One JSON line of a comparison run, read back. */
record Run(
    String scenario,
    String label,
    String system,
    boolean ok,
    Map<String, String> params,
    Map<String, Double> figures,
    List<String> problems,
    List<String> notes) {

  static Run from(JsonNode line) {
    Map<String, String> params = new LinkedHashMap<>();
    line.path("params")
        .fields()
        .forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
    Map<String, Double> figures = new LinkedHashMap<>();
    line.path("figures")
        .fields()
        .forEachRemaining(
            e -> figures.put(e.getKey(), e.getValue().isNumber() ? e.getValue().asDouble() : null));
    return new Run(
        line.path("scenario").asText(),
        line.path("label").asText(),
        line.path("system").asText(),
        line.path("ok").asBoolean(),
        params,
        figures,
        texts(line.path("problems")),
        texts(line.path("notes")));
  }

  Double figure(String name) {
    return figures.get(name);
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(node -> texts.add(node.asText()));
    return texts;
  }
}
