package dev.fovea.sharding.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.fovea.sharding.registry.ServiceEntity.ProviderList;
import dev.fovea.sharding.registry.ServiceEntity.ProviderView;
import dev.fovea.sharding.registry.ServiceEntity.Selection;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServiceEntityTest {

  private static final Duration SWEEP_INTERVAL = Duration.ofMillis(50);
  private static final long LONG_TTL = 60_000;
  private static final Set<String> NONE = Set.of();

  private static ActorTestKit testKit;
  private static ActorRef<Invocation> endpoint;

  private final ManualClock clock = new ManualClock();

  // One probe stands for both the shard and the asker. The entity's messages to it keep their
  // order, so a Passivate sent before a reply is received before it: expecting the reply proves
  // that no Passivate was sent, without waiting for one that might still come.
  private TestProbe<Object> events;
  private ActorRef<ServiceEntity.Command> entity;
  private long nextCallKey;

  /**
   * Every message is serialized and deserialized on its way, as if it crossed nodes: what the
   * entity receives and sends must survive the cluster serializer, not only a local send.
   */
  @BeforeAll
  static void startTestKit() {
    testKit =
        ActorTestKit.create(
            "service-entity-test",
            ConfigFactory.parseString("pekko.actor.serialize-messages = on")
                .withFallback(ConfigFactory.load()));
    endpoint = testKit.createTestProbe(Invocation.class).ref();
  }

  @AfterAll
  static void stopTestKit() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void spawnEntity() {
    clock.set(1_000);
    events = testKit.createTestProbe(Object.class);
    entity =
        testKit.spawn(ServiceEntity.create("proc", events.ref().narrow(), SWEEP_INTERVAL, clock));
  }

  @AfterEach
  void stopEntity() {
    testKit.stop(entity);
  }

  @Test
  void registeredProviderIsSelected() {
    Provider a = provider("a", "n1");

    register(a, LONG_TTL);
    Selection selection = select(SelectionStrategy.RANDOM, NONE);

    assertThat(selection.provider()).isEqualTo(a);
    assertThat(selection.providerCount()).isEqualTo(1);
    assertThat(selection.callKey()).isEqualTo(nextCallKey - 1);
  }

  @Test
  void selectWithoutProvidersAnswersNull() {
    Selection selection = select(SelectionStrategy.RANDOM, NONE);

    assertThat(selection.provider()).isNull();
    assertThat(selection.providerCount()).isZero();
  }

  @Test
  void selectSkipsExcludedProviders() {
    Provider a = provider("a", "n1");
    Provider b = provider("b", "n2");
    register(a, LONG_TTL);
    register(b, LONG_TTL);

    Selection skippedFirst = select(SelectionStrategy.FIRST, Set.of("a"));
    Selection skippedBoth = select(SelectionStrategy.RANDOM, Set.of("a", "b"));

    assertThat(skippedFirst.provider()).isEqualTo(b);
    assertThat(skippedFirst.providerCount()).isEqualTo(2);
    assertThat(skippedBoth.provider()).isNull();
    assertThat(skippedBoth.providerCount()).isEqualTo(2);
  }

  @Test
  void registeringTwiceKeepsOneProvider() {
    Provider a = provider("a", "n1");

    register(a, LONG_TTL);
    register(a, LONG_TTL);

    assertThat(select(SelectionStrategy.RANDOM, NONE).providerCount()).isEqualTo(1);
  }

  @Test
  void registrationThatAsksForAConfirmationIsConfirmedEachTime() {
    Provider a = provider("a", "n1");
    TestProbe<ServiceEntity.Registered> confirmations =
        testKit.createTestProbe(ServiceEntity.Registered.class);

    entity.tell(new ServiceEntity.Register(a, LONG_TTL, confirmations.ref()));
    entity.tell(new ServiceEntity.Register(a, LONG_TTL, confirmations.ref()));

    confirmations.expectMessage(new ServiceEntity.Registered("proc", "a"));
    confirmations.expectMessage(new ServiceEntity.Registered("proc", "a"));
    assertThat(listProviders().providers()).hasSize(1);
  }

  @Test
  void unregisterOfTheLastProviderPassivates() {
    Provider a = provider("a", "n1");
    Provider b = provider("b", "n1");
    register(a, LONG_TTL);
    register(b, LONG_TTL);

    entity.tell(new ServiceEntity.Unregister("a"));
    Selection remaining = select(SelectionStrategy.RANDOM, NONE);
    entity.tell(new ServiceEntity.Unregister("b"));

    assertThat(remaining.provider()).isEqualTo(b);
    assertThat(remaining.providerCount()).isEqualTo(1);
    expectPassivate();
  }

  @Test
  void providerExpiresWhenTheClockReachesItsTtl() {
    Provider a = provider("a", "n1");
    register(a, 100);

    clock.set(1_099);
    awaitSweep();
    Selection beforeExpiry = select(SelectionStrategy.RANDOM, NONE);
    clock.set(1_100);
    expectPassivate();
    Selection afterExpiry = select(SelectionStrategy.RANDOM, NONE);

    assertThat(beforeExpiry.provider()).isEqualTo(a);
    assertThat(afterExpiry.provider()).isNull();
    assertThat(afterExpiry.providerCount()).isZero();
  }

  @Test
  void refreshBeforeExpiryExtendsIt() {
    Provider a = provider("a", "n1");
    register(a, 100);
    clock.set(1_050);
    register(a, 100);

    clock.set(1_120);
    awaitSweep();
    Selection pastFirstExpiry = select(SelectionStrategy.RANDOM, NONE);
    clock.set(1_150);
    expectPassivate();

    assertThat(pastFirstExpiry.provider()).isEqualTo(a);
    assertThat(select(SelectionStrategy.RANDOM, NONE).provider()).isNull();
  }

  @Test
  void purgeNodeRemovesOnlyThatNodesProviders() {
    register(provider("a", "n1"), LONG_TTL);
    register(provider("b", "n2"), LONG_TTL);
    register(provider("c", "n1"), LONG_TTL);

    entity.tell(new ServiceEntity.PurgeNode("n1"));
    ProviderList afterFirstPurge = listProviders();
    entity.tell(new ServiceEntity.PurgeNode("n2"));

    assertThat(afterFirstPurge.providers())
        .extracting(ProviderView::providerId)
        .containsExactly("b");
    expectPassivate();
  }

  @Test
  void listProvidersReportsExpiryAsClockPlusTtl() {
    clock.set(5_000);
    register(provider("a", "n1"), 300);
    register(provider("b", "n2"), 7_000);

    ProviderList list = listProviders();

    assertThat(list.procedure()).isEqualTo("proc");
    assertThat(list.providers())
        .containsExactlyInAnyOrder(
            new ProviderView("a", "n1", 5_300), new ProviderView("b", "n2", 12_000));
  }

  private static Provider provider(String id, String node) {
    return new Provider(id, node, endpoint);
  }

  /** Registers and waits until the entity has handled it, so that it read the clock as it is. */
  private void register(Provider provider, long ttlMillis) {
    entity.tell(new ServiceEntity.Register(provider, ttlMillis));
    listProviders();
  }

  private Selection select(SelectionStrategy strategy, Set<String> excluded) {
    entity.tell(
        new ServiceEntity.Select(nextCallKey++, strategy, excluded, "n1", events.ref().narrow()));
    return events.expectMessageClass(Selection.class);
  }

  private ProviderList listProviders() {
    entity.tell(new ServiceEntity.ListProviders(events.ref().narrow()));
    return events.expectMessageClass(ProviderList.class);
  }

  private void expectPassivate() {
    events.expectMessage(new ClusterSharding.Passivate<>(entity));
  }

  /**
   * Waits until the entity has swept at least once after the clock was last set. A reading of the
   * clock after the round trip can only be a sweep, and it sees the time set before it.
   */
  private void awaitSweep() {
    listProviders();
    long readsBefore = clock.reads();
    events.awaitAssert(
        () -> {
          assertThat(clock.reads()).isGreaterThan(readsBefore);
          return null;
        });
  }

  /** A clock the test moves by hand; it counts its readings so that a test can await a sweep. */
  private static final class ManualClock implements LongSupplier {
    private final AtomicLong now = new AtomicLong();
    private final AtomicLong reads = new AtomicLong();

    @Override
    public long getAsLong() {
      reads.incrementAndGet();
      return now.get();
    }

    void set(long millis) {
      now.set(millis);
    }

    long reads() {
      return reads.get();
    }
  }
}
