package dev.fovea.node.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.fovea.client.CallException;
import dev.fovea.client.FoveaClient;
import dev.fovea.node.TestNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Calls through real sockets, from one Java client to providers on others. */
class RpcEndToEndTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();
  private final CountDownLatch never = new CountDownLatch(1);

  @AfterEach
  void cleanUp() throws Exception {
    never.countDown();
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  @Test
  void callReachesTheProviderAndTheReplyComesBack() throws Exception {
    TestNode node = node();
    FoveaClient provider = client(node);
    provider.advertise("math.double", call -> twice(call.text()));
    provider.flush();

    String answer = client(node).callText("math.double", "21", WAIT).get(5, TimeUnit.SECONDS);

    assertThat(answer).isEqualTo("42");
  }

  @Test
  void callWithNoProviderFailsWithNoProviders() {
    TestNode node = node();

    CallException e = callError(client(node), "nobody.serves.this");

    assertThat(e.code()).isEqualTo("no_providers");
  }

  @Test
  void silentProviderIsFailedOverToTheNextOne() throws Exception {
    TestNode node = node("fovea.rpc.strategy", "first");
    AtomicInteger silentCalls = new AtomicInteger();
    FoveaClient silent = client(node);
    silent.advertise(
        "svc.failover",
        call -> {
          silentCalls.incrementAndGet();
          never.await();
          return null;
        });
    silent.flush();
    FoveaClient healthy = client(node);
    healthy.advertise("svc.failover", call -> "from healthy".getBytes(StandardCharsets.UTF_8));
    healthy.flush();

    String answer =
        client(node).callText("svc.failover", "q", Duration.ofMillis(500)).get(5, TimeUnit.SECONDS);

    assertThat(answer).isEqualTo("from healthy");
    assertThat(silentCalls).hasValue(1);
  }

  @Test
  void singleSilentProviderGivesTimeout() {
    TestNode node = node();
    FoveaClient silent = client(node);
    silent.advertise(
        "svc.silent",
        call -> {
          never.await();
          return null;
        });
    silent.flush();

    CallException e = callError(client(node), "svc.silent", Duration.ofMillis(300));

    assertThat(e.code()).isEqualTo("timeout");
  }

  @Test
  void allSilentProvidersGiveAllProvidersFailed() {
    TestNode node = node();
    for (int i = 0; i < 2; i++) {
      FoveaClient silent = client(node);
      silent.advertise(
          "svc.allsilent",
          call -> {
            never.await();
            return null;
          });
      silent.flush();
    }

    CallException e = callError(client(node), "svc.allsilent", Duration.ofMillis(300));

    assertThat(e.code()).isEqualTo("all_providers_failed");
  }

  @Test
  void errorResultIsRelayedAndNotRetried() {
    TestNode node = node("fovea.rpc.strategy", "first");
    FoveaClient failing = client(node);
    failing.advertise(
        "svc.broken",
        call -> {
          throw new IllegalStateException("disk on fire");
        });
    failing.flush();
    AtomicInteger otherCalls = new AtomicInteger();
    FoveaClient other = client(node);
    other.advertise(
        "svc.broken",
        call -> {
          otherCalls.incrementAndGet();
          return "fine".getBytes(StandardCharsets.UTF_8);
        });
    other.flush();

    CallException e = callError(client(node), "svc.broken");

    assertThat(e.code()).isEqualTo("handler_error");
    assertThat(e.reason()).contains("disk on fire");
    assertThat(otherCalls).hasValue(0);
  }

  @Test
  void callAfterTheProviderDisconnectsFailsWithNoProviders() throws Exception {
    TestNode node = node();
    FoveaClient provider = client(node);
    provider.advertise("svc.leaving", call -> "here".getBytes(StandardCharsets.UTF_8));
    provider.flush();
    FoveaClient caller = client(node);
    assertThat(caller.callText("svc.leaving", "", WAIT).get(5, TimeUnit.SECONDS)).isEqualTo("here");

    provider.close();

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(callError(caller, "svc.leaving").code()).isEqualTo("no_providers"));
  }

  @Test
  void advertisementThatIsNotReassertedExpiresAfterItsTtl() throws Exception {
    TestNode node =
        node("fovea.registry.reassert", "off", "fovea.registry.sweep-interval", "100ms");
    FoveaClient provider = client(node);
    provider.advertise(
        "svc.shortlived", Duration.ofMillis(600), call -> "alive".getBytes(StandardCharsets.UTF_8));
    provider.flush();
    FoveaClient caller = client(node);
    assertThat(caller.callText("svc.shortlived", "", WAIT).get(5, TimeUnit.SECONDS))
        .isEqualTo("alive");

    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> assertThat(callError(caller, "svc.shortlived").code()).isEqualTo("no_providers"));
    assertThat(provider.isOpen()).as("the provider is still connected").isTrue();
  }

  @Test
  void advertisementThatIsReassertedOutlivesItsTtl() throws Exception {
    TestNode node = node("fovea.registry.sweep-interval", "100ms");
    FoveaClient provider = client(node);
    provider.advertise(
        "svc.kept", Duration.ofMillis(600), call -> "alive".getBytes(StandardCharsets.UTF_8));
    provider.flush();
    FoveaClient caller = client(node);

    for (int i = 0; i < 8; i++) {
      assertThat(caller.callText("svc.kept", "", WAIT).get(5, TimeUnit.SECONDS)).isEqualTo("alive");
      Thread.sleep(250); // spans three TTLs in all: the node re-asserts in between
    }
  }

  @Test
  void roundRobinAlternatesBetweenProviders() throws Exception {
    TestNode node = node("fovea.rpc.strategy", "round_robin");
    for (String name : List.of("a", "b")) {
      FoveaClient provider = client(node);
      provider.advertise("svc.rr", call -> name.getBytes(StandardCharsets.UTF_8));
      provider.flush();
    }
    FoveaClient caller = client(node);

    List<String> answers = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 6; i++) {
      answers.add(caller.callText("svc.rr", "", WAIT).get(5, TimeUnit.SECONDS));
    }

    for (int i = 1; i < answers.size(); i++) {
      assertThat(answers.get(i)).isNotEqualTo(answers.get(i - 1));
    }
  }

  @Test
  void castRunsTheProcedureWithoutAReply() throws Exception {
    TestNode node = node();
    CompletableFuture<String> received = new CompletableFuture<>();
    FoveaClient provider = client(node);
    provider.advertise(
        "svc.cast",
        call -> {
          received.complete(call.text() + ":" + call.expectsResult());
          return null;
        });
    provider.flush();

    client(node).cast("svc.cast", "fire");

    assertThat(received.get(5, TimeUnit.SECONDS)).isEqualTo("fire:false");
  }

  @Test
  void builtInDiagnosticsAnswerWithoutAProvider() throws Exception {
    TestNode node = node();
    FoveaClient caller = client(node);

    assertThat(caller.callText("fovea.diagnostics.echo", "ping", WAIT).get(5, TimeUnit.SECONDS))
        .isEqualTo("ping");
    assertThat(caller.callText("fovea.diagnostics.info", "", WAIT).get(5, TimeUnit.SECONDS))
        .contains("\"node\":\"" + node.node().nodeId() + "\"")
        .contains("\"realm\":\"macula.default\"");
  }

  private TestNode node(Object... settings) {
    TestNode node = TestNode.start(settings);
    resources.add(node);
    return node;
  }

  private FoveaClient client(TestNode node) {
    FoveaClient client = FoveaClient.connect("127.0.0.1", node.port(), TestNode.REALM);
    resources.add(client);
    return client;
  }

  private static CallException callError(FoveaClient caller, String procedure) {
    return callError(caller, procedure, WAIT);
  }

  private static CallException callError(FoveaClient caller, String procedure, Duration timeout) {
    Throwable thrown =
        catchThrowable(
            () -> caller.call(procedure, new byte[0], timeout).get(10, TimeUnit.SECONDS));
    assertThat(thrown).isInstanceOf(ExecutionException.class);
    assertThat(thrown.getCause()).isInstanceOf(CallException.class);
    return (CallException) thrown.getCause();
  }

  private static byte[] twice(String number) {
    return Integer.toString(2 * Integer.parseInt(number)).getBytes(StandardCharsets.UTF_8);
  }
}
