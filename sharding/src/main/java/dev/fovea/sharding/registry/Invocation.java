package dev.fovea.sharding.registry;

import dev.fovea.sharding.ClusterMessage;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * A request to a provider's session to run a procedure once.
 *
 * @param callKey the router's handle on the call; echoed in the outcome
 * @param attempt which attempt of the call this is; an outcome of an earlier attempt that arrives
 *     after a failover is ignored
 * @param replyTo {@code null} for a cast, which expects no outcome
 */
public record Invocation(
    long callKey,
    int attempt,
    String procedure,
    byte[] payload,
    ActorRef<InvocationOutcome> replyTo)
    implements ClusterMessage {

  public boolean expectsOutcome() {
    return replyTo != null;
  }
}
