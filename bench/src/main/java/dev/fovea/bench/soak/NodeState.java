package dev.fovea.bench.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the node holds and has done, as an operator reads it over HTTP: the gauges and counters of
 * {@code /metrics} and the sizes of the {@code /view/*} listings.
 *
 * @param viewProviders the providers listed under all procedures of {@code /view/procedures}
 */
record NodeState(
    long sessions,
    long subscriptions,
    long patterns,
    long providers,
    long viewSessions,
    long viewTopics,
    long viewProcedures,
    long viewProviders,
    Map<String, Double> counters) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The counters reported beside the gauges, by their Prometheus names. */
  private static final String[] COUNTERS = {
    "fovea_publishes_total",
    "fovea_deliveries_total",
    "fovea_rpc_calls_total",
    "fovea_refused_total",
    "fovea_drops_total",
    "fovea_registry_reaped_total",
  };

  static NodeState read(NodeUnderSoak node) {
    PrometheusText metrics = PrometheusText.parse(node.get("metrics"));
    JsonNode procedures = json(node.get("view/procedures"));
    long providers = 0;
    for (JsonNode procedure : procedures) {
      providers += procedure.path("providers").size();
    }
    Map<String, Double> counters = new LinkedHashMap<>();
    for (String name : COUNTERS) {
      counters.put(name, metrics.sum(name));
    }
    return new NodeState(
        (long) metrics.sum("fovea_sessions"),
        (long) metrics.sum("fovea_subscriptions"),
        (long) metrics.sum("fovea_patterns"),
        (long) metrics.sum("fovea_registry_providers"),
        json(node.get("view/sessions")).size(),
        json(node.get("view/topics")).size(),
        procedures.size(),
        providers,
        counters);
  }

  /** Whether nothing a client made is left: no session, subscription, pattern or provider. */
  boolean isEmpty() {
    return sessions == 0
        && subscriptions == 0
        && patterns == 0
        && providers == 0
        && viewSessions == 0
        && viewTopics == 0
        && viewProviders == 0;
  }

  /** The gauges and listings that must be back to zero, by name. */
  Map<String, Long> holdings() {
    Map<String, Long> held = new LinkedHashMap<>();
    held.put("fovea_sessions", sessions);
    held.put("fovea_subscriptions", subscriptions);
    held.put("fovea_patterns", patterns);
    held.put("fovea_registry_providers", providers);
    held.put("/view/sessions entries", viewSessions);
    held.put("/view/topics entries", viewTopics);
    held.put("/view/procedures providers", viewProviders);
    return held;
  }

  double counter(String name) {
    return counters.getOrDefault(name, 0.0);
  }

  private static JsonNode json(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + body, e);
    }
  }
}
