package dev.fovea.sharding.interest;

import dev.fovea.sharding.ClusterMessage;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Publishes sent to one interested node in one message: what queued for that node while the
 * previous batch was on its way. The receiving node delivers each through its own topic shards.
 *
 * @param topics the topic of each frame, for matching on the receiving node
 * @param frames the encoded PUBLISH frames, as subscribers receive them
 */
public record RemoteBatch(List<String> topics, List<byte[]> frames, ActorRef<Ack> replyTo)
    implements ClusterMessage {

  /** The receiving node took the batch; the sender may send the next. */
  public enum Ack implements ClusterMessage {
    INSTANCE
  }
}
