package dev.fovea.node;

import dev.fovea.node.metrics.MailboxDepths;
import dev.fovea.node.metrics.NodeMetrics;
import dev.fovea.node.session.LiveSessions;
import dev.fovea.node.session.SessionView;
import java.util.function.ToIntFunction;
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
        "fovea.patterns.walked",
        "distinct patterns every publish walks a trie for: three or more **, or past"
            + " topics.max-wildcard-shapes",
        parts.subscriptions()::walkedPatternCount);
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

  /**
   * Every limit as {@code fovea_limit{limit=...}}, and for the per-session ones the most that any
   * one session holds now, so that an alert can fire on how close the node is to refusing. Admitted
   * sessions against the client limit are {@code fovea_sessions}; the outbound queues against
   * theirs are in {@code /view/sessions}.
   */
  static void bindLimits(NodeMetrics metrics, NodeSettings settings, LiveSessions live) {
    limit(metrics, "clients", settings.maxClients());
    limit(metrics, "frame_bytes", settings.maxFrameBytes());
    limit(metrics, "topic_length", settings.topicLimits().maxLength());
    limit(metrics, "topic_depth", settings.topicLimits().maxDepth());
    limit(metrics, "wildcard_shapes", settings.maxWildcardShapes());
    limit(metrics, "subscriptions", settings.maxSubscriptions());
    limit(metrics, "advertisements", settings.maxAdvertisements());
    limit(metrics, "pending_calls", settings.maxPendingCalls());
    limit(metrics, "outbound_queue_frames", settings.outboundQueueFrames());
    limit(metrics, "outbound_queue_bytes", settings.outboundQueueBytes());
    held(metrics, "subscriptions", live, SessionView::subscriptionCount);
    held(metrics, "advertisements", live, SessionView::advertisementCount);
    held(metrics, "pending_calls", live, SessionView::pendingCalls);
  }

  private static void limit(NodeMetrics metrics, String limit, long value) {
    metrics.gauge("fovea.limit", "a configured limit", "limit", limit, () -> value);
  }

  private static void held(
      NodeMetrics metrics, String limit, LiveSessions live, ToIntFunction<SessionView> count) {
    metrics.gauge(
        "fovea.session.held.max",
        "the most that one session holds of what a per-session limit bounds",
        "limit",
        limit,
        () -> live.all().stream().mapToInt(count).max().orElse(0));
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
