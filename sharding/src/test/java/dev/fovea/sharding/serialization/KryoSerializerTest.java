package dev.fovea.sharding.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import dev.fovea.sharding.ClusterMessage;
import dev.fovea.sharding.interest.InterestTable;
import dev.fovea.sharding.interest.RemoteBatch;
import dev.fovea.sharding.registry.Invocation;
import dev.fovea.sharding.registry.InvocationOutcome;
import dev.fovea.sharding.registry.Provider;
import dev.fovea.sharding.registry.SelectionStrategy;
import dev.fovea.sharding.registry.ServiceEntity;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every message that crosses nodes survives the trip through the cluster serializer. */
class KryoSerializerTest {
  private static ActorTestKit testKit;
  private static Serialization serialization;
  private static Provider provider;

  @BeforeAll
  static void start() {
    testKit =
        ActorTestKit.create(
            "kryo-test",
            ConfigFactory.parseString(
                    "pekko.actor.provider = cluster\n"
                        + "pekko.remote.artery.canonical.port = 0\n"
                        + "pekko.remote.artery.canonical.hostname = 127.0.0.1\n")
                .withFallback(ConfigFactory.load()));
    serialization = SerializationExtension.get(testKit.system());
    TestProbe<Invocation> endpoint = testKit.createTestProbe(Invocation.class);
    provider = new Provider("n1/s1", "n1", endpoint.ref());
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void clusterMessagesAreBoundToTheKryoSerializer() {
    Serializer s = serialization.findSerializerFor(provider);
    assertThat(s).isInstanceOf(KryoSerializer.class);
    assertThat(s.identifier()).isEqualTo(KryoSerializer.IDENTIFIER);
  }

  @Test
  void providerRoundTripsWithItsActorRef() {
    Provider back = roundTrip(provider);
    assertThat(back).isEqualTo(provider);
    assertThat(back.endpoint()).isEqualTo(provider.endpoint());
  }

  @Test
  void registryCommandsRoundTrip() {
    TestProbe<ServiceEntity.Selection> selections =
        testKit.createTestProbe(ServiceEntity.Selection.class);
    TestProbe<ServiceEntity.ProviderList> lists =
        testKit.createTestProbe(ServiceEntity.ProviderList.class);
    TestProbe<ServiceEntity.Registered> confirmations =
        testKit.createTestProbe(ServiceEntity.Registered.class);
    List<ClusterMessage> messages =
        List.of(
            new ServiceEntity.Register(provider, 300_000),
            new ServiceEntity.Register(provider, 300_000, confirmations.ref()),
            new ServiceEntity.Registered("svc.x", "n1/s1"),
            new ServiceEntity.Unregister("n1/s1"),
            new ServiceEntity.Select(
                7, SelectionStrategy.ROUND_ROBIN, Set.of("a", "b"), "n2", selections.ref()),
            new ServiceEntity.Select(8, SelectionStrategy.FIRST, Set.of(), "n2", selections.ref()),
            new ServiceEntity.Selection(7, provider, 3),
            new ServiceEntity.Selection(7, null, 0),
            new ServiceEntity.ListProviders(lists.ref()),
            new ServiceEntity.ProviderList(
                "p", List.of(new ServiceEntity.ProviderView("n1/s1", "n1", 42L))),
            new ServiceEntity.PurgeNode("n3"),
            ServiceEntity.Stop.INSTANCE);
    assertEachRoundTrips(messages);
  }

  @Test
  void invocationsAndOutcomesRoundTripWithTheirPayloads() {
    TestProbe<InvocationOutcome> outcomes = testKit.createTestProbe(InvocationOutcome.class);
    Invocation call = new Invocation(9, 2, "svc.x", new byte[] {1, 2, 3}, outcomes.ref());
    Invocation cast = new Invocation(10, 1, "svc.x", new byte[0], null);

    Invocation callBack = roundTrip(call);
    Invocation castBack = roundTrip(cast);
    InvocationOutcome ok = roundTrip(InvocationOutcome.ok(call, new byte[] {9}));
    InvocationOutcome error = roundTrip(InvocationOutcome.error(call, "handler_error", "boom"));
    InvocationOutcome gone = roundTrip(InvocationOutcome.gone(call));

    assertThat(callBack.payload()).containsExactly(1, 2, 3);
    assertThat(callBack.replyTo()).isEqualTo(outcomes.ref());
    assertThat(callBack.callKey()).isEqualTo(9);
    assertThat(callBack.attempt()).isEqualTo(2);
    assertThat(castBack.expectsOutcome()).isFalse();
    assertThat(ok.payload()).containsExactly(9);
    assertThat(error.errorCode()).isEqualTo("handler_error");
    assertThat(error.errorReason()).isEqualTo("boom");
    assertThat(gone.providerGone()).isTrue();
  }

  @Test
  void interestCommandsRoundTrip() {
    List<ClusterMessage> messages =
        List.of(
            new InterestTable.Add("sensor.*.temp"),
            new InterestTable.Remove("sensor.**"),
            new InterestTable.PurgeNode("pekko://fovea@127.0.0.1:25520/user/relay"),
            RemoteBatch.Ack.INSTANCE);
    assertEachRoundTrips(messages);
  }

  @Test
  void remoteBatchRoundTripsEveryTopicAndFrameInOrder() {
    TestProbe<RemoteBatch.Ack> acks = testKit.createTestProbe(RemoteBatch.Ack.class);
    List<String> topics = List.of("sensor.kitchen.temp", "a", "b.c");
    List<byte[]> frames =
        List.of(
            "first".getBytes(StandardCharsets.UTF_8), new byte[0], new byte[] {0, -1, 127, -128});
    RemoteBatch back = roundTrip(new RemoteBatch(topics, frames, acks.ref()));

    assertThat(back.topics()).containsExactlyElementsOf(topics);
    assertThat(back.frames()).hasSize(3);
    for (int i = 0; i < frames.size(); i++) {
      assertThat(back.frames().get(i)).as("frame " + i).containsExactly(frames.get(i));
    }
    assertThat(back.replyTo()).isEqualTo(acks.ref());
  }

  @Test
  void providerWatchesAndChangesRoundTrip() {
    TestProbe<ServiceEntity.ProvidersChanged> watcher =
        testKit.createTestProbe(ServiceEntity.ProvidersChanged.class);
    List<ClusterMessage> messages =
        List.of(
            new ServiceEntity.Watch(watcher.ref()),
            new ServiceEntity.ProvidersChanged("svc.x", List.of(provider), false),
            new ServiceEntity.ProvidersChanged("svc.x", List.of(), true));
    assertEachRoundTrips(messages);
  }

  /**
   * Guards the tests above: a class added to {@code fovea.kryo.registrations} must get a round trip
   * here too. The names below are every class some test of this class sends through the serializer.
   */
  @Test
  void everyRegisteredClassHasARoundTripTest() {
    Set<String> tested =
        Set.of(
            "dev.fovea.sharding.registry.Provider",
            "dev.fovea.sharding.registry.Invocation",
            "dev.fovea.sharding.registry.InvocationOutcome",
            "dev.fovea.sharding.registry.ServiceEntity$Register",
            "dev.fovea.sharding.registry.ServiceEntity$Unregister",
            "dev.fovea.sharding.registry.ServiceEntity$Select",
            "dev.fovea.sharding.registry.ServiceEntity$Selection",
            "dev.fovea.sharding.registry.ServiceEntity$ListProviders",
            "dev.fovea.sharding.registry.ServiceEntity$ProviderList",
            "dev.fovea.sharding.registry.ServiceEntity$ProviderView",
            "dev.fovea.sharding.registry.ServiceEntity$PurgeNode",
            "dev.fovea.sharding.registry.ServiceEntity$Stop",
            "dev.fovea.sharding.registry.SelectionStrategy",
            "dev.fovea.sharding.registry.ServiceEntity$Watch",
            "dev.fovea.sharding.registry.ServiceEntity$ProvidersChanged",
            "dev.fovea.sharding.registry.ServiceEntity$Registered",
            "dev.fovea.sharding.interest.RemoteBatch",
            "dev.fovea.sharding.interest.RemoteBatch$Ack",
            "dev.fovea.sharding.interest.InterestTable$Add",
            "dev.fovea.sharding.interest.InterestTable$Remove",
            "dev.fovea.sharding.interest.InterestTable$PurgeNode");
    Set<String> registered =
        new HashSet<>(
            testKit.system().settings().config().getObject("fovea.kryo.registrations").keySet());

    assertThat(registered).containsExactlyInAnyOrderElementsOf(tested);
  }

  @Test
  void unregisteredClassIsRefusedRatherThanWrittenByName() throws Exception {
    Serializer kryo = serialization.serializerFor(Provider.class);
    record Unlisted(String x) implements ClusterMessage {}

    assertThatThrownBy(() -> kryo.toBinary(new Unlisted("x")))
        .hasMessageContaining("Class is not registered");
  }

  private static void assertEachRoundTrips(List<ClusterMessage> messages) {
    for (ClusterMessage m : messages) {
      assertThat(roundTrip(m)).as(m.toString()).isEqualTo(m);
    }
  }

  private static <T> T roundTrip(T message) {
    try {
      return roundTripOrThrow(message);
    } catch (Exception e) {
      throw new AssertionError("round trip of " + message + " failed", e);
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> T roundTripOrThrow(T message) throws Exception {
    byte[] bytes = serialization.serialize(message).get();
    Serializer s = serialization.findSerializerFor(message);
    return (T) serialization.deserialize(bytes, s.identifier(), "").get();
  }
}
