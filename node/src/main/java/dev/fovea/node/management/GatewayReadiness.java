package dev.fovea.node.management;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;

/**
 * Ready once the gateway listens. Pekko Management's cluster membership check, which is also
 * configured, adds the other half: the node is Up in the cluster.
 */
public final class GatewayReadiness implements Supplier<CompletionStage<Boolean>> {
  private final NodeHandle node;

  public GatewayReadiness(ActorSystem system) {
    this.node = NodeHandle.get(system);
  }

  @Override
  public CompletionStage<Boolean> get() {
    return CompletableFuture.completedFuture(node.isGatewayListening());
  }
}
