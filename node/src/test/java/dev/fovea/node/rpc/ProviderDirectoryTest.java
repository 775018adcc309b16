package dev.fovea.node.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import dev.fovea.sharding.registry.Invocation;
import dev.fovea.sharding.registry.Provider;
import dev.fovea.sharding.registry.ProviderSet;
import dev.fovea.sharding.registry.ServiceEntity;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The node's cache of provider lists across a registry entity's move: what a new, still empty
 * incarnation says is not taken over the providers known to remain, and a passivation for want of
 * providers outside a move is.
 */
class ProviderDirectoryTest {
  private static final String PROCEDURE = "svc.work";
  private static final String GONE_NODE = "pekko://fovea@127.0.0.1:1";

  private static ActorTestKit testKit;
  private static ClusterSharding sharding;

  private ProviderDirectory directory;
  private ActorRef<ServiceEntity.ProvidersChanged> listener;
  private Provider survivor;
  private Provider onGoneNode;

  @BeforeAll
  static void startCluster() {
    testKit =
        ActorTestKit.create(
            "fovea",
            ConfigFactory.parseString(
                    "pekko.actor.provider = cluster\n"
                        + "pekko.remote.artery.canonical.hostname = 127.0.0.1\n"
                        + "pekko.remote.artery.canonical.port = 0\n"
                        + "pekko.cluster.jmx.multi-mbeans-in-same-jvm = on\n"
                        + "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off\n"
                        // Leaving the cluster and handing off the shard take a few seconds.
                        + "pekko.actor.testkit.typed.system-shutdown-default = 30s\n")
                .withFallback(ConfigFactory.load()));
    Cluster cluster = Cluster.get(testKit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    sharding = ClusterSharding.get(testKit.system());
    // The registry entities' Watch messages go nowhere: the test plays the entity itself. The
    // stand-in stops on the stop message, so that handing off its shard at shutdown need not
    // wait out the hand-off timeout.
    sharding.init(
        Entity.of(
                ServiceEntity.ENTITY_TYPE_KEY,
                ctx ->
                    Behaviors.<ServiceEntity.Command>receiveMessage(
                        m ->
                            m == ServiceEntity.Stop.INSTANCE
                                ? Behaviors.stopped()
                                : Behaviors.same()))
            .withStopMessage(ServiceEntity.Stop.INSTANCE));
  }

  @AfterAll
  static void stopCluster() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void newDirectory() {
    directory = new ProviderDirectory(sharding, Duration.ofMinutes(1), 100);
    listener = testKit.spawn(directory.listener());
    ActorRef<Invocation> here = testKit.createTestProbe(Invocation.class).ref();
    survivor = new Provider("p-1", "node-2", here);
    onGoneNode = new Provider("p-2", "node-3", here);
  }

  @Test
  void anEmptyNewIncarnationThatPassivatesDuringTheMoveDoesNotEmptyTheList() {
    pushed(List.of(survivor), false);
    awaitListed(1);

    // The node of the entity is removed; the list keeps the providers of the other nodes.
    directory.forgetNode(GONE_NODE);
    // The entity restarts elsewhere without registrations, answers, and passivates at its
    // first sweep before they arrive.
    pushed(List.of(), false);
    pushed(List.of(), true);
    pushed(List.of(), false);

    assertListedStays(1);
    // The registration arrives at the next incarnation.
    pushed(List.of(survivor, onGoneNode), false);
    awaitListed(2);
  }

  @Test
  void aPassivationForWantOfProvidersOutsideAMoveEmptiesTheList() {
    pushed(List.of(survivor), false);
    awaitListed(1);

    pushed(List.of(), true);

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> directory.lookup(PROCEDURE, () -> {}) == null);
  }

  private void pushed(List<Provider> providers, boolean closing) {
    listener.tell(new ServiceEntity.ProvidersChanged(PROCEDURE, providers, closing));
  }

  private void awaitListed(int providers) {
    await().atMost(Duration.ofSeconds(5)).until(() -> listed() == providers);
  }

  private void assertListedStays(int providers) {
    // A marker pushed after the changes under test is seen only once they were all handled.
    String marker = "marker";
    listener.tell(new ServiceEntity.ProvidersChanged(marker, List.of(survivor), false));
    await().atMost(Duration.ofSeconds(5)).until(() -> lookUp(marker) != null);
    assertThat(listed()).isEqualTo(providers);
  }

  private int listed() {
    ProviderSet set = lookUp(PROCEDURE);
    return set == null ? -1 : set.size();
  }

  private ProviderSet lookUp(String procedure) {
    return directory.lookup(procedure, () -> {});
  }
}
