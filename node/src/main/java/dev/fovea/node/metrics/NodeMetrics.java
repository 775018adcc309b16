package dev.fovea.node.metrics;

import dev.fovea.node.gateway.OutboxMetrics;
import dev.fovea.protocol.message.FrameType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Every number the node reports, in one Micrometer registry served at {@code /metrics} in
 * Prometheus text format. Counters on hot paths are created once and kept in fields or enum maps,
 * so that counting costs an add and no lookup.
 */
public final class NodeMetrics implements OutboxMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<FrameType, Counter> framesIn = new EnumMap<>(FrameType.class);
  private final Map<FrameType, Counter> framesOut = new EnumMap<>(FrameType.class);
  private final Map<DropReason, Counter> drops = new EnumMap<>(DropReason.class);
  private final Map<String, Counter> refused = new ConcurrentHashMap<>();
  private final Map<String, Counter> callOutcomes = new ConcurrentHashMap<>();
  private final Counter bytesIn;
  private final Counter bytesOut;
  private final Counter failovers;
  private final Timer callLatency;

  public NodeMetrics() {
    for (FrameType t : FrameType.values()) {
      String type = t.name().toLowerCase(Locale.ROOT);
      framesIn.put(t, Counter.builder("fovea.frames.in").tag("type", type).register(registry));
      framesOut.put(t, Counter.builder("fovea.frames.out").tag("type", type).register(registry));
    }
    for (DropReason r : DropReason.values()) {
      drops.put(
          r,
          Counter.builder("fovea.drops")
              .description("frames dropped, by reason")
              .tag("reason", r.tag())
              .register(registry));
    }
    bytesIn = Counter.builder("fovea.bytes.in").baseUnit("bytes").register(registry);
    bytesOut = Counter.builder("fovea.bytes.out").baseUnit("bytes").register(registry);
    failovers =
        Counter.builder("fovea.rpc.failovers")
            .description("attempts given up on a provider and retried on another")
            .register(registry);
    callLatency =
        Timer.builder("fovea.rpc.latency")
            .description("from a call's arrival at the node to its reply")
            .publishPercentiles(0.5, 0.9, 0.99, 0.999)
            .minimumExpectedValue(Duration.ofNanos(10_000))
            .maximumExpectedValue(Duration.ofSeconds(30))
            .register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The registry's content in Prometheus text format. */
  public String scrape() {
    return registry.scrape();
  }

  public void frameIn(FrameType type) {
    framesIn.get(type).increment();
  }

  public void bytesIn(int bytes) {
    bytesIn.increment(bytes);
  }

  @Override
  public void frameOut(FrameType type) {
    framesOut.get(type).increment();
  }

  /** Counts {@code count} frames of one type, for a shard that delivered a batch. */
  public void framesOut(FrameType type, int count) {
    framesOut.get(type).increment(count);
  }

  @Override
  public void bytesOut(int bytes) {
    bytesOut.increment(bytes);
  }

  public void dropped(DropReason reason) {
    drops.get(reason).increment();
  }

  @Override
  public void dropped(DropReason reason, int count) {
    drops.get(reason).increment(count);
  }

  /** A connection or request refused, by its error code. */
  public void refused(String code) {
    refused
        .computeIfAbsent(
            code,
            c ->
                Counter.builder("fovea.refused")
                    .description("clients refused or disconnected, by error code")
                    .tag("code", c)
                    .register(registry))
        .increment();
  }

  /** A call answered, by outcome ({@code ok} or the error code), and how long it took. */
  public void callFinished(String outcome, long nanos) {
    callOutcomes
        .computeIfAbsent(
            outcome, o -> Counter.builder("fovea.rpc.calls").tag("outcome", o).register(registry))
        .increment();
    callLatency.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  public void failover() {
    failovers.increment();
  }

  /** Registers a count kept elsewhere as a Prometheus counter. */
  public void counter(String name, String description, LongAdder adder) {
    FunctionCounter.builder(name, adder, LongAdder::sum)
        .description(description)
        .register(registry);
  }

  /** Registers a value read on each scrape. */
  public <T> void gauge(String name, String description, T source, ToDoubleFunction<T> value) {
    Gauge.builder(name, source, value).description(description).register(registry);
  }

  public void gauge(String name, String description, Supplier<Number> value) {
    Gauge.builder(name, value).description(description).register(registry);
  }

  /** Registers a value read on each scrape, under one tag. */
  public void gauge(
      String name, String description, String tagKey, String tagValue, Supplier<Number> value) {
    Gauge.builder(name, value).description(description).tag(tagKey, tagValue).register(registry);
  }

  public Counter counter(String name, String tagKey, String tagValue) {
    return Counter.builder(name).tag(tagKey, tagValue).register(registry);
  }
}
