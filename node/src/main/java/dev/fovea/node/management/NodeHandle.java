package dev.fovea.node.management;

import dev.fovea.node.NodeSettings;
import dev.fovea.node.metrics.NodeHealth;
import dev.fovea.node.metrics.NodeMetrics;
import dev.fovea.node.pubsub.SubscriptionIndex;
import dev.fovea.node.rpc.ProviderDirectory;
import dev.fovea.node.session.LiveSessions;
import java.time.Instant;
import java.util.function.IntSupplier;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;
import org.apache.pekko.actor.ExtensionIdProvider;

/**
 * What the management routes read of the node they serve. Pekko Management builds the route
 * providers from configuration, by class name, with nothing but the actor system; this extension is
 * where the node leaves its parts for them once it has started.
 */
public final class NodeHandle implements Extension {
  private static final Id ID = new Id();

  /** The node's parts the routes read. */
  public record Parts(
      String nodeId,
      NodeSettings settings,
      NodeMetrics metrics,
      NodeHealth health,
      LiveSessions sessions,
      SubscriptionIndex subscriptions,
      ProviderDirectory directory,
      IntSupplier clusterMembers,
      Instant startedAt) {}

  private volatile Parts parts;
  private volatile boolean gatewayListening;

  public static NodeHandle get(ActorSystem system) {
    return ID.get(system);
  }

  public static NodeHandle get(org.apache.pekko.actor.typed.ActorSystem<?> system) {
    return ID.get(org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(system));
  }

  public void attach(Parts parts) {
    this.parts = parts;
  }

  /** {@code null} until the node has started its actors. */
  public Parts parts() {
    return parts;
  }

  public void gatewayListening(boolean listening) {
    this.gatewayListening = listening;
  }

  public boolean isGatewayListening() {
    return gatewayListening;
  }

  private static final class Id extends AbstractExtensionId<NodeHandle>
      implements ExtensionIdProvider {
    @Override
    public NodeHandle createExtension(ExtendedActorSystem system) {
      return new NodeHandle();
    }

    @Override
    public Id lookup() {
      return ID;
    }
  }
}
