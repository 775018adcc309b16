package dev.fovea.node.pubsub;

import dev.fovea.sharding.interest.RemoteBatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One outbound link per interested remote node. A publish for a node is queued on its link; the
 * link sends what has queued as one batch, bounded in publishes and in bytes, and keeps a few
 * batches in flight, sending the next as the node acknowledges one. Under light load a batch is a
 * single publish and goes at once; under heavy load batches grow by themselves, so the number of
 * messages between nodes stays small, the round trip is covered by the batches in flight, and the
 * queue, which is bounded, absorbs bursts. Batches go in order and Artery keeps the order between
 * two nodes, so each topic's publishes arrive in the order they were published.
 */
public final class RemoteLinks {
  private static final Logger log = LoggerFactory.getLogger(RemoteLinks.class);
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(5);

  private final ActorSystem<?> system;
  private final ActorRefResolver resolver;
  private final int queueFrames;
  private final int maxBatchBytes;
  private final int minCost;
  private final int inFlight;
  private final LongAdder forwarded;
  private final LongAdder dropped;
  private final Map<String, BoundedSourceQueue<Forward>> links = new ConcurrentHashMap<>();

  private record Forward(String topic, byte[] frame) {}

  public RemoteLinks(
      ActorSystem<?> system,
      int queueFrames,
      int maxBatch,
      int maxBatchBytes,
      int inFlight,
      LongAdder forwarded,
      LongAdder dropped) {
    this.system = system;
    this.resolver = ActorRefResolver.get(system);
    this.queueFrames = queueFrames;
    this.maxBatchBytes = maxBatchBytes;
    // A publish costs at least this much of a batch's bytes, so that a batch of small ones stops
    // at maxBatch publishes and one of large ones at maxBatchBytes.
    this.minCost = Math.max(1, maxBatchBytes / maxBatch);
    this.inFlight = inFlight;
    this.forwarded = forwarded;
    this.dropped = dropped;
  }

  /** Queues a publish for the node with this key; dropped and counted when its link is full. */
  public void forward(String nodeKey, String topic, ByteString frame) {
    BoundedSourceQueue<Forward> link = links.computeIfAbsent(nodeKey, this::open);
    QueueOfferResult result = link.offer(new Forward(topic, frame.toArrayUnsafe()));
    if (result == QueueOfferResult.enqueued()) {
      forwarded.increment();
    } else {
      dropped.increment();
    }
  }

  /** Closes the links of nodes that no longer have interest. */
  public void retainOnly(Set<String> nodeKeys) {
    links
        .entrySet()
        .removeIf(
            e -> {
              if (nodeKeys.contains(e.getKey())) {
                return false;
              }
              e.getValue().complete();
              return true;
            });
  }

  private BoundedSourceQueue<Forward> open(String nodeKey) {
    ActorRef<RemoteBatch> relay = resolver.resolveActorRef(nodeKey);
    log.info("opening a publish link to {}", relay.path().address());
    return Source.<Forward>queue(queueFrames)
        .batchWeighted(
            maxBatchBytes,
            f -> (long) Math.max(minCost, f.frame().length),
            RemoteLinks::newBatch,
            RemoteLinks::addTo)
        .mapAsync(
            inFlight,
            batch ->
                AskPattern.<RemoteBatch, RemoteBatch.Ack>ask(
                        relay,
                        replyTo -> toMessage(batch, replyTo),
                        ACK_TIMEOUT,
                        system.scheduler())
                    .exceptionally(
                        failure -> {
                          dropped.add(batch.size());
                          log.warn(
                              "{} publishes to {} were not acknowledged: {}",
                              batch.size(),
                              relay.path().address(),
                              failure.toString());
                          return RemoteBatch.Ack.INSTANCE;
                        }))
        .to(Sink.ignore())
        .run(system);
  }

  private static List<Forward> newBatch(Forward first) {
    List<Forward> batch = new ArrayList<>();
    batch.add(first);
    return batch;
  }

  private static List<Forward> addTo(List<Forward> batch, Forward next) {
    batch.add(next);
    return batch;
  }

  private static RemoteBatch toMessage(List<Forward> batch, ActorRef<RemoteBatch.Ack> replyTo) {
    List<String> topics = new ArrayList<>(batch.size());
    List<byte[]> frames = new ArrayList<>(batch.size());
    for (Forward f : batch) {
      topics.add(f.topic());
      frames.add(f.frame());
    }
    return new RemoteBatch(topics, frames, replyTo);
  }
}
