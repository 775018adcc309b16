package dev.fovea.bench.load.pekko;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.pubsub.DistributedPubSub;
import org.apache.pekko.cluster.pubsub.DistributedPubSubMediator;

/**
 * One node of the Pekko peer: a cluster member whose Distributed Pub/Sub mediator carries the
 * cluster scenario's messages. Publishers are threads on this node that tell the mediator; the
 * subscribers are actors. The driver steers it over HTTP on loopback:
 *
 * <ul>
 *   <li>{@code /members}: how many members are Up;
 *   <li>{@code /subscribe?topics=a,b&count=n}: n subscriber actors to all the topics, answered once
 *       the mediator acknowledged each;
 *   <li>{@code /probe?topic=t}: one unmeasured message;
 *   <li>{@code /start?topics=a,b&payload=128&window=2000&fanout=2}: one publisher thread per topic
 *       at full speed, keeping at most {@code window} messages in flight to the average of {@code
 *       fanout} subscribers, as the driver does for the other systems;
 *   <li>{@code /stop}; {@code /stats}: counts as JSON.
 * </ul>
 *
 * Subscribing nodes publish their received totals on {@link AckListener#TOPIC} every 2 ms: that is
 * how the publishing node learns what arrived.
 */
final class PekkoPubSubNode {
  static final String SYSTEM_NAME = "bench-pubsub";

  private static final long REPORT_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
  private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final ActorSystem system;
  private final ActorRef mediator;
  private final String self;
  private final List<AtomicLong> subscribers = new CopyOnWriteArrayList<>();
  private final ConcurrentHashMap<String, Long> receivedByNode = new ConcurrentHashMap<>();
  private final AtomicLong published = new AtomicLong();
  private final List<Thread> publishers = new ArrayList<>();
  private volatile boolean publishing;

  // Guarded by windowLock, apart from this, which guards starting and stopping: publishers that are
  // being joined must still be able to look at their window.
  private final Object windowLock = new Object();
  private long writtenOff;
  private long stalls;

  private PekkoPubSubNode(ActorSystem system) {
    this.system = system;
    this.mediator = DistributedPubSub.get(system).mediator();
    this.self = Cluster.get(system).selfAddress().toString();
    system.actorOf(AckListener.props(mediator, receivedByNode), "acks");
  }

  /** Starts the node and its control endpoint; returns once both run. */
  static PekkoPubSubNode start(String host, int clusterPort, List<String> seeds, int controlPort)
      throws IOException {
    PekkoPubSubNode node =
        new PekkoPubSubNode(ActorSystem.create(SYSTEM_NAME, config(host, clusterPort, seeds)));
    node.serveControl(host, controlPort);
    Thread reporter = new Thread(node::reportReceived, "bench-ack-reporter");
    reporter.setDaemon(true);
    reporter.start();
    return node;
  }

  static Config config(String host, int clusterPort, List<String> seeds) {
    List<String> seedAddresses = new ArrayList<>();
    for (String seed : seeds) {
      seedAddresses.add("pekko://" + SYSTEM_NAME + "@" + seed);
    }
    Map<String, Object> settings = new HashMap<>();
    settings.put("pekko.actor.provider", "cluster");
    settings.put("pekko.remote.artery.canonical.hostname", host);
    settings.put("pekko.remote.artery.canonical.port", clusterPort);
    settings.put("pekko.cluster.seed-nodes", seedAddresses);
    settings.put("pekko.cluster.jmx.enabled", "off");
    settings.put("pekko.loglevel", "WARNING");
    // Three JVMs starting at once on two busy cores can take longer than the default 5 s.
    settings.put("pekko.logger-startup-timeout", "30s");
    settings.put("pekko.loggers", List.of("org.apache.pekko.event.slf4j.Slf4jLogger"));
    settings.put("pekko.logging-filter", "org.apache.pekko.event.slf4j.Slf4jLoggingFilter");
    return ConfigFactory.parseMap(settings).withFallback(ConfigFactory.load());
  }

  ActorSystem system() {
    return system;
  }

  private void serveControl(String host, int port) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
    route(server, "/members", query -> Integer.toString(upMembers()));
    route(server, "/subscribe", this::subscribe);
    route(server, "/probe", this::probe);
    route(server, "/start", this::startPublishers);
    route(server, "/stop", query -> stopPublishers());
    route(server, "/stats", query -> stats());
    server.start();
    system.registerOnTermination(() -> server.stop(0));
  }

  private int upMembers() {
    int up = 0;
    for (Member member : Cluster.get(system).state().getMembers()) {
      if (member.status() == MemberStatus.up()) {
        up++;
      }
    }
    return up;
  }

  private String subscribe(Map<String, String> query) {
    String[] topics = query.get("topics").split(",");
    int count = Integer.parseInt(query.get("count"));
    List<CompletableFuture<Void>> acknowledged = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      AtomicLong received = new AtomicLong();
      CompletableFuture<Void> subscribed = new CompletableFuture<>();
      system.actorOf(SubscriberActor.props(mediator, topics, received, subscribed));
      subscribers.add(received);
      acknowledged.add(subscribed);
    }
    CompletableFuture.allOf(acknowledged.toArray(CompletableFuture[]::new)).join();
    return "ok";
  }

  private String probe(Map<String, String> query) {
    int payload = Integer.parseInt(query.getOrDefault("payload", "128"));
    mediator.tell(
        new DistributedPubSubMediator.Publish(query.get("topic"), new byte[payload]),
        ActorRef.noSender());
    published.incrementAndGet();
    return "ok";
  }

  private synchronized String startPublishers(Map<String, String> query) {
    if (publishing) {
      return "already publishing";
    }
    String[] topics = query.get("topics").split(",");
    int payload = Integer.parseInt(query.get("payload"));
    int window = Integer.parseInt(query.get("window"));
    int fanout = Integer.parseInt(query.get("fanout"));
    long basePublished = published.get();
    long baseAcked = acked();
    synchronized (windowLock) {
      writtenOff = 0;
      stalls = 0;
    }
    publishing = true;
    for (String topic : topics) {
      Thread thread =
          new Thread(
              () -> publish(topic, payload, window, fanout, basePublished, baseAcked),
              "bench-publisher-" + topic);
      thread.setDaemon(true);
      publishers.add(thread);
      thread.start();
    }
    return "ok";
  }

  private void publish(
      String topic, int payload, int window, int fanout, long basePublished, long baseAcked) {
    long lastAcked = -1;
    long lastProgress = System.nanoTime();
    while (publishing) {
      long acked = acked();
      long inFlight;
      synchronized (windowLock) {
        inFlight = (published.get() - basePublished) - (acked - baseAcked) / fanout - writtenOff;
      }
      if (window > 0 && inFlight >= window) {
        LockSupport.parkNanos(20_000);
        long now = System.nanoTime();
        if (acked != lastAcked) {
          lastAcked = acked;
          lastProgress = now;
        } else if (now - lastProgress > STALL_NANOS) {
          synchronized (windowLock) {
            writtenOff += inFlight;
            stalls++;
          }
          lastProgress = now;
        }
        continue;
      }
      int batch = window > 0 ? (int) Math.min(64, window - inFlight) : 64;
      for (int i = 0; i < batch; i++) {
        mediator.tell(
            new DistributedPubSubMediator.Publish(topic, new byte[payload]), ActorRef.noSender());
      }
      published.addAndGet(batch);
    }
  }

  private synchronized String stopPublishers() {
    publishing = false;
    for (Thread thread : publishers) {
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    publishers.clear();
    return "ok";
  }

  private String stats() {
    StringBuilder counts = new StringBuilder();
    long delivered = 0;
    for (AtomicLong subscriber : subscribers) {
      long n = subscriber.get();
      delivered += n;
      counts.append(counts.length() == 0 ? "" : ",").append(n);
    }
    long stallCount;
    synchronized (windowLock) {
      stallCount = stalls;
    }
    return "{\"published\":"
        + published.get()
        + ",\"delivered\":"
        + delivered
        + ",\"acked\":"
        + acked()
        + ",\"stalls\":"
        + stallCount
        + ",\"counts\":["
        + counts
        + "]}";
  }

  private long acked() {
    long sum = 0;
    for (long n : receivedByNode.values()) {
      sum += n;
    }
    return sum;
  }

  /** Publishes this node's received total whenever it changed, every 2 ms. */
  private void reportReceived() {
    long reported = 0;
    while (!system.getWhenTerminated().toCompletableFuture().isDone()) {
      LockSupport.parkNanos(REPORT_NANOS);
      long total = 0;
      for (AtomicLong subscriber : subscribers) {
        total += subscriber.get();
      }
      if (total != reported) {
        reported = total;
        mediator.tell(
            new DistributedPubSubMediator.Publish(AckListener.TOPIC, self + " " + total),
            ActorRef.noSender());
      }
    }
  }

  /** Serves one path; a failure answers 500 with its message, so the driver can report it. */
  private static void route(
      HttpServer server, String path, Function<Map<String, String>, String> handler) {
    server.createContext(
        path,
        exchange -> {
          try {
            answer(exchange, 200, handler.apply(query(exchange)));
          } catch (RuntimeException e) {
            answer(exchange, 500, String.valueOf(e));
          }
        });
  }

  private static Map<String, String> query(HttpExchange exchange) {
    Map<String, String> query = new HashMap<>();
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw == null) {
      return query;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        query.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return query;
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
