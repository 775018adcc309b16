package dev.fovea.bench.load.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The cluster scenario run on the Pekko peer: the same steps as {@link PubSubLoad} (probe the
 * routes, let late probes settle, publish at full speed within a window, warm up, measure, drain),
 * carried out by the node processes (see {@code PekkoPubSubNode}) and sampled over HTTP.
 */
final class PekkoClusterLoad {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration ROUTE_TIMEOUT = Duration.ofSeconds(60);

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<InetSocketAddress> nodes;

  PekkoClusterLoad(List<InetSocketAddress> nodes) {
    if (nodes.size() < 2) {
      throw new IllegalArgumentException("the cluster scenario needs at least two nodes");
    }
    this.nodes = List.copyOf(nodes);
  }

  PubSubLoad.Outcome run(List<String> topics, int subscribers, PubSubLoad.Settings settings)
      throws Exception {
    awaitMembers();
    String joined = String.join(",", topics);
    for (int i = 0; i < subscribers; i++) {
      get(1 + i % (nodes.size() - 1), "/subscribe?count=1&topics=" + joined);
    }
    awaitRoutes(topics, settings.payloadBytes());
    awaitQuiet();

    long basePublished = published();
    long baseDelivered = delivered();
    get(
        0,
        "/start?topics="
            + joined
            + "&payload="
            + settings.payloadBytes()
            + "&window="
            + settings.window()
            + "&fanout="
            + subscribers);
    Thread.sleep(settings.warmup().toMillis());
    long t0 = System.nanoTime();
    long p0 = published();
    long d0 = delivered();
    Thread.sleep(settings.duration().toMillis());
    long t1 = System.nanoTime();
    long p1 = published();
    long d1 = delivered();
    get(0, "/stop");

    long sent = published() - basePublished;
    long got = drain(sent * subscribers + baseDelivered) - baseDelivered;
    double seconds = (t1 - t0) / 1e9;
    return new PubSubLoad.Outcome(
        sent,
        got,
        sent * subscribers - got,
        stats(0).get("stalls").asLong(),
        (p1 - p0) / seconds,
        (d1 - d0) / seconds,
        null,
        List.of());
  }

  private void awaitMembers() throws Exception {
    long deadline = System.nanoTime() + JOIN_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      boolean all = true;
      for (int node = 0; node < nodes.size(); node++) {
        all &= Integer.parseInt(get(node, "/members").trim()) == nodes.size();
      }
      if (all) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the Pekko nodes did not all see each other Up in 60 s");
  }

  /** As {@link PubSubLoad}: a round of one probe per topic that reaches every subscriber. */
  private void awaitRoutes(List<String> topics, int payload) throws Exception {
    long deadline = System.nanoTime() + ROUTE_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      List<Long> before = subscriberCounts();
      for (String topic : topics) {
        get(0, "/probe?payload=" + payload + "&topic=" + topic);
      }
      long roundEnd = System.nanoTime() + Duration.ofMillis(250).toNanos();
      while (System.nanoTime() < roundEnd) {
        List<Long> now = subscriberCounts();
        boolean arrived = true;
        for (int i = 0; i < now.size(); i++) {
          arrived &= now.get(i) - before.get(i) >= topics.size();
        }
        if (arrived) {
          return;
        }
        Thread.sleep(10);
      }
    }
    throw new IllegalStateException("Pekko subscribers did not receive probes within 60 s");
  }

  private void awaitQuiet() throws Exception {
    long last = -1;
    for (int i = 0; i < 100; i++) {
      long now = delivered();
      if (now == last) {
        return;
      }
      last = now;
      Thread.sleep(50);
    }
  }

  private long drain(long expected) throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    long last = -1;
    long lastChange = System.nanoTime();
    while (System.nanoTime() < end) {
      long got = delivered();
      if (got >= expected) {
        return got;
      }
      if (got != last) {
        last = got;
        lastChange = System.nanoTime();
      } else if (System.nanoTime() - lastChange > Duration.ofSeconds(2).toNanos()) {
        return got;
      }
      Thread.sleep(10);
    }
    return delivered();
  }

  private long published() throws Exception {
    return stats(0).get("published").asLong();
  }

  private long delivered() throws Exception {
    long sum = 0;
    for (int node = 1; node < nodes.size(); node++) {
      sum += stats(node).get("delivered").asLong();
    }
    return sum;
  }

  private List<Long> subscriberCounts() throws Exception {
    List<Long> counts = new ArrayList<>();
    for (int node = 1; node < nodes.size(); node++) {
      stats(node).get("counts").forEach(n -> counts.add(n.asLong()));
    }
    return counts;
  }

  private JsonNode stats(int node) throws Exception {
    return JSON.readTree(get(node, "/stats"));
  }

  private String get(int node, String pathAndQuery) throws IOException, InterruptedException {
    InetSocketAddress address = nodes.get(node);
    URI uri =
        URI.create("http://" + address.getHostString() + ":" + address.getPort() + pathAndQuery);
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(uri + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }
}
