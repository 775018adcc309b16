package dev.fovea.node;

import dev.fovea.node.metrics.MailboxDepths;
import dev.fovea.node.metrics.NodeMetrics;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.typed.Cluster;

/** Registers the node's counts and gauges that live outside the metrics class. */
final class NodeMetricsBinding {
  private NodeMetricsBinding() {}

  static void bind(
      NodeMetrics metrics, NodeStats stats, NodeGuardian.Parts parts, ActorSystem<?> system) {
    metrics.counter("fovea.publishes", "PUBLISH frames accepted from clients", stats.publishes);
    metrics.counter(
        "fovea.deliveries", "publishes handed to a local subscriber's queue", stats.deliveries);
    metrics.counter(
        "fovea.cluster.forwarded", "publishes queued for another node", stats.forwarded);
    metrics.counter(
        "fovea.cluster.forward.dropped",
        "publishes for another node dropped: link full or not acknowledged",
        stats.forwardDropped);
    metrics.counter("fovea.cluster.relayed", "publishes received from other nodes", stats.relayed);
    metrics.counter(
        "fovea.registry.reaped",
        "providers removed because they expired or their session or node was gone",
        stats.reaped);
    metrics.gauge("fovea.sessions", "admitted sessions", stats::sessions);
    metrics.gauge(
        "fovea.subscriptions",
        "(pattern, session) pairs",
        parts.subscriptions()::subscriptionCount);
    metrics.gauge(
        "fovea.patterns", "distinct patterns subscribed here", parts.subscriptions()::patternCount);
    metrics.gauge(
        "fovea.registry.providers",
        "providers held by registry entities on this node",
        stats::providers);
    metrics.gauge(
        "fovea.cluster.members",
        "members of the cluster as this node sees them",
        () -> countMembers(system));
    MailboxDepths depths = MailboxDepths.get(system);
    for (String family : new String[] {"topic-shard", "rpc-router", "session"}) {
      metrics.gauge(
          "fovea.mailbox.depth." + family.replace('-', '_'),
          "the deepest mailbox of the family",
          () -> depths.maxDepth(family));
    }
    parts.directory().bindMetrics(metrics.registry());
  }

  /** The members of the cluster, whatever their status, as this node sees them. */
  static int countMembers(ActorSystem<?> system) {
    int n = 0;
    for (org.apache.pekko.cluster.Member ignored : Cluster.get(system).state().getMembers()) {
      n++;
    }
    return n;
  }
}
