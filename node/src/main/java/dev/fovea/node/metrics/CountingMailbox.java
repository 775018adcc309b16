package dev.fovea.node.metrics;

import com.typesafe.config.Config;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.dispatch.Envelope;
import org.apache.pekko.dispatch.MailboxType;
import org.apache.pekko.dispatch.MessageQueue;
import org.apache.pekko.dispatch.ProducesMessageQueue;
import org.apache.pekko.dispatch.UnboundedMailbox;
import scala.Option;

/**
 * An unbounded mailbox that keeps a count of its messages, so that the depth of every actor of a
 * family can be read at any time in O(1) (the JDK queue's own size() walks the queue). A {@link
 * Weighted} message counts for its weight: a batch of publishes is as deep as its publishes. The
 * count is registered in {@link MailboxDepths} under the family named in the mailbox's
 * configuration.
 */
public final class CountingMailbox
    implements MailboxType, ProducesMessageQueue<UnboundedMailbox.MessageQueue> {
  private final String family;

  public CountingMailbox(ActorSystem.Settings settings, Config config) {
    this.family = config.getString("family");
  }

  @Override
  public MessageQueue create(Option<ActorRef> owner, Option<ActorSystem> system) {
    AtomicInteger depth =
        owner.isDefined() && system.isDefined()
            ? MailboxDepths.get(system.get()).register(family, owner.get().path().toString())
            : new AtomicInteger();
    String path = owner.isDefined() ? owner.get().path().toString() : null;
    MailboxDepths depths = system.isDefined() ? MailboxDepths.get(system.get()) : null;
    return new CountingQueue(depth, depths, family, path);
  }

  /** The JDK-backed unbounded queue Pekko uses by default, plus the count. */
  static final class CountingQueue extends UnboundedMailbox.MessageQueue {
    private static final long serialVersionUID = 1L;
    private final transient AtomicInteger depth;
    private final transient MailboxDepths depths;
    private final String family;
    private final String path;

    CountingQueue(AtomicInteger depth, MailboxDepths depths, String family, String path) {
      this.depth = depth;
      this.depths = depths;
      this.family = family;
      this.path = path;
    }

    @Override
    public void enqueue(ActorRef receiver, Envelope handle) {
      depth.addAndGet(weightOf(handle));
      super.enqueue(receiver, handle);
    }

    @Override
    public Envelope dequeue() {
      Envelope e = super.dequeue();
      if (e != null) {
        depth.addAndGet(-weightOf(e));
      }
      return e;
    }

    private static int weightOf(Envelope e) {
      return e.message() instanceof Weighted w ? w.weight() : 1;
    }

    @Override
    public int numberOfMessages() {
      return Math.max(0, depth.get());
    }

    @Override
    public void cleanUp(ActorRef owner, MessageQueue deadLetters) {
      super.cleanUp(owner, deadLetters);
      depth.set(0);
      if (depths != null && path != null) {
        depths.unregister(family, path);
      }
    }
  }
}
