package dev.fovea.bench.load.pekko;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.Props;
import org.apache.pekko.cluster.pubsub.DistributedPubSubMediator;

/** Subscribes to topics through the mediator and counts the payloads it receives. */
final class SubscriberActor extends AbstractActor {
  private final AtomicLong received;
  private final CompletableFuture<Void> subscribed;
  private int unacknowledged;

  private SubscriberActor(
      ActorRef mediator, String[] topics, AtomicLong received, CompletableFuture<Void> subscribed) {
    this.received = received;
    this.subscribed = subscribed;
    this.unacknowledged = topics.length;
    for (String topic : topics) {
      mediator.tell(new DistributedPubSubMediator.Subscribe(topic, self()), self());
    }
  }

  static Props props(
      ActorRef mediator, String[] topics, AtomicLong received, CompletableFuture<Void> subscribed) {
    return Props.create(
        SubscriberActor.class, () -> new SubscriberActor(mediator, topics, received, subscribed));
  }

  @Override
  public Receive createReceive() {
    return receiveBuilder()
        .match(byte[].class, payload -> received.incrementAndGet())
        .match(DistributedPubSubMediator.SubscribeAck.class, this::onSubscribed)
        .build();
  }

  private void onSubscribed(DistributedPubSubMediator.SubscribeAck ack) {
    if (--unacknowledged == 0) {
      subscribed.complete(null);
    }
  }
}
