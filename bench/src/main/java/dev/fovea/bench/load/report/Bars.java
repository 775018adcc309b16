package dev.fovea.bench.load.report;

import java.util.List;

/**
 * The bars: what Fovea should reach on this kind of machine, alone and beside a peer. Runs
 * are found by the labels that {@code bench/compare.sh} gives them.
 */
final class Bars {
  private Bars() {}

  /**
   * @param bar the figure Fovea should reach (at least, or at most when {@code higherIsBetter} is
   *     false)
   * @param peer the system to beat, or null
   * @param factor Fovea should be this many times the peer (or at most this fraction of it)
   */
  record Bar(
      String scenario,
      String label,
      String figure,
      double bar,
      boolean higherIsBetter,
      String peer,
      double factor,
      String shownBar,
      String shownAgainst) {}

  static final List<Bar> ALL =
      List.of(
          new Bar(
              "pubsub 1 to 1, 128 B",
              "pubsub-1x1",
              "delivered_per_s",
              500_000,
              true,
              "nats",
              1,
              "500,000 msgs/s",
              "at least NATS"),
          new Bar(
              "fanout to 100 wildcard subscribers",
              "fanout-100",
              "deliveries_per_s",
              1_000_000,
              true,
              "nats",
              1,
              "1,000,000 deliveries/s",
              "at least NATS"),
          new Bar(
              "rpc, 64 in flight",
              "rpc-64",
              "calls_per_s",
              100_000,
              true,
              "nats",
              1,
              "100,000 calls/s",
              "at least NATS request/reply"),
          new Bar(
              "rpc, one in flight",
              "rpc-1",
              "rtt_p50_us",
              100,
              false,
              "nats",
              1,
              "p50 under 100 µs",
              "at most NATS"),
          new Bar(
              "patterns, 100,000 subscriptions",
              "patterns-100k",
              "publishes_per_s",
              100_000,
              true,
              "mosquitto",
              10,
              "100,000 publishes/s",
              "10 times Mosquitto"),
          new Bar(
              "cluster, 3 nodes",
              "cluster-3",
              "cross_node_per_s",
              200_000,
              true,
              "pekko",
              2,
              "200,000 msgs/s across nodes",
              "2 times Pekko Distributed Pub/Sub"),
          new Bar(
              "connections",
              "connections-10k",
              "admitted",
              10_000,
              true,
              null,
              1,
              "10,000 clients",
              ""),
          new Bar(
              "connections",
              "connections-10k",
              "heap_per_session_bytes",
              20 * 1024,
              false,
              null,
              1,
              "under 20 KB heap each",
              ""));
}
