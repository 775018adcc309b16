package dev.fovea.bench.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * What Fovea nodes say they dropped, read from their {@code /metrics}: frames shed for slow
 * consumers and overloaded shards ({@code fovea_drops_total}) and publishes that never reached
 * another node ({@code fovea_cluster_forward_dropped_total}).
 */
public final class NodeDrops {
  private static final List<String> COUNTERS =
      List.of("fovea_drops_total", "fovea_cluster_forward_dropped_total");

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<URI> endpoints;

  public NodeDrops(List<URI> endpoints) {
    this.endpoints = List.copyOf(endpoints);
  }

  public boolean enabled() {
    return !endpoints.isEmpty();
  }

  /** The sum over all nodes, or -1 when a node could not be read. */
  public long total() {
    long sum = 0;
    for (URI endpoint : endpoints) {
      try {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        sum += sum(response.body());
      } catch (IOException e) {
        return -1;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return -1;
      }
    }
    return sum;
  }

  static long sum(String prometheusText) {
    double sum = 0;
    for (String line : prometheusText.split("\n")) {
      for (String counter : COUNTERS) {
        if (line.startsWith(counter + "{") || line.startsWith(counter + " ")) {
          sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
    }
    return (long) sum;
  }
}
