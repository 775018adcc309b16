package dev.fovea.node.session;

import dev.fovea.node.NodeSettings;
import dev.fovea.node.metrics.NodeMetrics;
import dev.fovea.node.pubsub.SubscriptionIndex;
import dev.fovea.node.pubsub.TopicShards;
import dev.fovea.node.rpc.RpcRouters;
import java.util.concurrent.atomic.LongAdder;

/** What every session of a node shares: its settings and the node's actor families. */
public record SessionServices(
    NodeSettings settings,
    String nodeId,
    SubscriptionIndex subscriptions,
    TopicShards topicShards,
    RpcRouters routers,
    LongAdder publishes,
    NodeMetrics metrics,
    LiveSessions live) {}
