package dev.fovea.node;

import com.typesafe.config.Config;
import dev.fovea.node.gateway.SlowConsumerPolicy;
import dev.fovea.node.pubsub.ShedPolicy;
import dev.fovea.protocol.codec.FrameLimits;
import dev.fovea.protocol.message.Connected;
import dev.fovea.protocol.topic.TopicLimits;
import dev.fovea.sharding.registry.SelectionStrategy;
import java.time.Duration;
import java.util.Map;

/** The node's settings, read once from the {@code fovea} section of the configuration. */
public record NodeSettings(
    String nodeName,
    String realm,
    String gatewayHost,
    int gatewayPort,
    int backlog,
    int maxFrameBytes,
    int outboundQueueFrames,
    long outboundQueueBytes,
    SlowConsumerPolicy slowConsumerPolicy,
    int writeBatchBytes,
    int maxClients,
    TopicLimits topicLimits,
    int topicShards,
    int maxWildcardShapes,
    int maxSubscriptions,
    int maxAdvertisements,
    int maxPendingCalls,
    Duration idleTimeout,
    int highWaterMark,
    Duration supervisionInterval,
    Duration warnInterval,
    ShedPolicy shedPolicy,
    Duration defaultTtl,
    Duration sweepInterval,
    boolean reassert,
    Duration defaultCallTimeout,
    SelectionStrategy strategy,
    int maxAttempts,
    int routers,
    Duration providerCacheTtl,
    int providerCacheSize,
    int linkQueueFrames,
    int linkMaxBatch,
    int linkMaxBatchBytes,
    int linkInFlight,
    Duration interestWriteTimeout) {

  public static NodeSettings from(Config fovea) {
    return new NodeSettings(
        fovea.getString("node-name"),
        fovea.getString("realm"),
        fovea.getString("gateway.host"),
        fovea.getInt("gateway.port"),
        positive(fovea, "gateway.backlog"),
        positive(fovea, "gateway.max-frame-bytes"),
        positive(fovea, "gateway.outbound-queue-frames"),
        fovea.getBytes("gateway.outbound-queue-bytes"),
        SlowConsumerPolicy.parse(fovea.getString("gateway.slow-consumer-policy")),
        positive(fovea, "gateway.write-batch-bytes"),
        positive(fovea, "clients.max"),
        new TopicLimits(positive(fovea, "topics.max-length"), positive(fovea, "topics.max-depth")),
        positive(fovea, "topics.shards"),
        notNegative(fovea, "topics.max-wildcard-shapes"),
        positive(fovea, "session.max-subscriptions"),
        positive(fovea, "session.max-advertisements"),
        positive(fovea, "session.max-pending-calls"),
        fovea.getDuration("session.idle-timeout"),
        positive(fovea, "supervision.high-water-mark"),
        fovea.getDuration("supervision.check-interval"),
        fovea.getDuration("supervision.warn-interval"),
        ShedPolicy.parse(fovea.getString("supervision.topic-shed-policy")),
        fovea.getDuration("registry.default-ttl"),
        fovea.getDuration("registry.sweep-interval"),
        fovea.getBoolean("registry.reassert"),
        fovea.getDuration("rpc.default-timeout"),
        SelectionStrategy.parse(fovea.getString("rpc.strategy")),
        positive(fovea, "rpc.max-attempts"),
        positive(fovea, "rpc.routers"),
        fovea.getDuration("rpc.provider-cache-ttl"),
        positive(fovea, "rpc.provider-cache-size"),
        positive(fovea, "cluster.link-queue-frames"),
        positive(fovea, "cluster.link-max-batch"),
        (int) Math.min(Integer.MAX_VALUE, fovea.getBytes("cluster.link-max-batch-bytes")),
        positive(fovea, "cluster.link-in-flight"),
        fovea.getDuration("cluster.interest-write-timeout"));
  }

  public FrameLimits frameLimits() {
    return new FrameLimits(maxFrameBytes, topicLimits);
  }

  /** The limits a session is told in CONNECTED. */
  public Map<String, Long> sessionLimits() {
    return Map.ofEntries(
        Map.entry(Connected.Limit.MAX_FRAME_BYTES, (long) maxFrameBytes),
        Map.entry(Connected.Limit.MAX_TOPIC_LENGTH, (long) topicLimits.maxLength()),
        Map.entry(Connected.Limit.MAX_TOPIC_DEPTH, (long) topicLimits.maxDepth()),
        Map.entry(Connected.Limit.MAX_SUBSCRIPTIONS, (long) maxSubscriptions),
        Map.entry(Connected.Limit.MAX_ADVERTISEMENTS, (long) maxAdvertisements),
        Map.entry(Connected.Limit.MAX_PENDING_CALLS, (long) maxPendingCalls),
        Map.entry(Connected.Limit.DEFAULT_CALL_TIMEOUT_MS, defaultCallTimeout.toMillis()),
        Map.entry(Connected.Limit.DEFAULT_TTL_MS, defaultTtl.toMillis()),
        Map.entry(Connected.Limit.IDLE_TIMEOUT_MS, idleTimeout.toMillis()));
  }

  private static int notNegative(Config c, String path) {
    int value = c.getInt(path);
    if (value < 0) {
      throw new IllegalArgumentException("fovea." + path + " must not be negative, was " + value);
    }
    return value;
  }

  private static int positive(Config c, String path) {
    int value = c.getInt(path);
    if (value <= 0) {
      throw new IllegalArgumentException("fovea." + path + " must be positive, was " + value);
    }
    return value;
  }
}
