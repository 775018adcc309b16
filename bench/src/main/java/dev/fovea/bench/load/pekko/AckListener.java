package dev.fovea.bench.load.pekko;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.Props;
import org.apache.pekko.cluster.pubsub.DistributedPubSubMediator;

/**
 * Hears how many messages each node's subscribers have received, so that the publishing node can
 * keep its window as the driver does for client-based systems. A report is {@code "<node>
 * <total>"}.
 */
final class AckListener extends AbstractActor {
  static final String TOPIC = "bench.acks";

  private final Map<String, Long> receivedByNode;

  private AckListener(ActorRef mediator, Map<String, Long> receivedByNode) {
    this.receivedByNode = receivedByNode;
    mediator.tell(new DistributedPubSubMediator.Subscribe(TOPIC, self()), self());
  }

  static Props props(ActorRef mediator, ConcurrentHashMap<String, Long> receivedByNode) {
    return Props.create(AckListener.class, () -> new AckListener(mediator, receivedByNode));
  }

  @Override
  public Receive createReceive() {
    return receiveBuilder()
        .match(String.class, this::onReport)
        .match(DistributedPubSubMediator.SubscribeAck.class, ack -> {})
        .build();
  }

  private void onReport(String report) {
    int space = report.lastIndexOf(' ');
    receivedByNode.merge(
        report.substring(0, space), Long.parseLong(report.substring(space + 1)), Math::max);
  }
}
