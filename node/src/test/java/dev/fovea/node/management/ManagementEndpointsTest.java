package dev.fovea.node.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fovea.client.CallException;
import dev.fovea.client.Delivery;
import dev.fovea.client.FoveaClient;
import dev.fovea.node.Management;
import dev.fovea.node.Management.Scrape;
import dev.fovea.node.TestNode;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every management endpoint, through real HTTP requests to a running node: what an operator, a load
 * balancer's probe or a Prometheus server would see.
 */
class ManagementEndpointsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration JOIN_WAIT = Duration.ofSeconds(40);
  private static TestNode node;
  private static Management management;

  private final List<FoveaClient> clients = new ArrayList<>();

  @BeforeAll
  static void startNode() {
    node = TestNode.start();
    management = Management.of(node);
  }

  @AfterAll
  static void stopNode() throws Exception {
    node.close();
  }

  @AfterEach
  void disconnect() {
    clients.forEach(FoveaClient::close);
  }

  @Test
  void liveAnswersOk() {
    Management.Response live = management.get("live");

    assertThat(live.status()).isEqualTo(200);
    assertThat(live.body()).isEqualTo("OK");
  }

  @Test
  void readyAnswersOkOnceTheGatewayListensAndTheNodeIsUp() {
    await().atMost(WAIT).until(() -> management.get("ready").status() == 200);
  }

  @Test
  void healthReportsAHealthyNode() {
    client("health-probe");

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Management.Response health = management.get("health");
              assertThat(health.status()).isEqualTo(200);
              assertThat(health.contentType()).startsWith("application/json");
              JsonNode body = health.json();
              assertThat(body.path("status").asText()).isEqualTo("ok");
              assertThat(body.path("node").asText()).isEqualTo(node.node().nodeId());
              assertThat(body.path("realm").asText()).isEqualTo(TestNode.REALM);
              assertThat(body.path("uptime_ms").asLong()).isPositive();
              assertThat(body.path("sessions").asInt()).isEqualTo(1);
              assertThat(body.path("cluster_members").asInt()).isEqualTo(1);
              assertThat(body.path("gateway_listening").asBoolean()).isTrue();
              assertThat(body.path("degraded").isArray()).isTrue();
              assertThat(body.path("degraded")).isEmpty();
            });
  }

  @Test
  void clusterMembersListsThisNodeAsUp() {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              JsonNode cluster = management.json("cluster/members");
              JsonNode members = cluster.path("members");
              assertThat(members).hasSize(1);
              assertThat(members.get(0).path("status").asText()).isEqualTo("Up");
              assertThat(members.get(0).path("node").asText())
                  .isEqualTo(cluster.path("selfNode").asText())
                  .endsWith(node.node().nodeId());
            });
  }

  @Test
  void publishesDeliveriesFramesAndBytesAreCounted() {
    int n = 250;
    List<Delivery> received = new CopyOnWriteArrayList<>();
    FoveaClient subscriber = client("metrics-subscriber");
    subscriber.subscribe("metrics.counted", received::add);
    subscriber.flush();
    FoveaClient publisher = client("metrics-publisher");
    Scrape before = management.metrics();

    for (int i = 0; i < n; i++) {
      publisher.publish("metrics.counted", "message " + i);
    }
    await().atMost(WAIT).until(() -> received.size() == n);

    Scrape after = management.metrics();
    assertThat(rise(before, after, "fovea_publishes_total")).isEqualTo(n);
    assertThat(rise(before, after, "fovea_deliveries_total")).isEqualTo(n);
    assertThat(rise(before, after, "fovea_frames_in_total", "type", "publish")).isEqualTo(n);
    assertThat(rise(before, after, "fovea_frames_out_total", "type", "publish")).isEqualTo(n);
    assertThat(rise(before, after, "fovea_bytes_in_bytes_total"))
        .as("at least a header and a topic per message")
        .isGreaterThan(n * ("metrics.counted".length() + 8.0));
  }

  @Test
  void callsAreCountedByOutcomeAndTimed() throws Exception {
    FoveaClient provider = client("metrics-provider");
    provider.advertise("metrics.echo", call -> call.payload());
    provider.flush();
    FoveaClient caller = client("metrics-caller");
    Scrape before = management.metrics();

    assertThat(caller.callText("metrics.echo", "hello", WAIT).get(5, TimeUnit.SECONDS))
        .isEqualTo("hello");
    CallException noProvider = callError(caller, "metrics.nobody");

    assertThat(noProvider.code()).isEqualTo("no_providers");
    Scrape after = management.metrics();
    assertThat(rise(before, after, "fovea_rpc_calls_total", "outcome", "ok")).isEqualTo(1);
    assertThat(rise(before, after, "fovea_rpc_calls_total", "outcome", "no_providers"))
        .isEqualTo(1);
    assertThat(rise(before, after, "fovea_rpc_latency_seconds_count")).isEqualTo(2);
    assertThat(rise(before, after, "fovea_rpc_latency_seconds_sum")).isPositive();
    for (String quantile : List.of("0.5", "0.9", "0.99", "0.999")) {
      assertThat(after.has("fovea_rpc_latency_seconds", "quantile", quantile))
          .as("the %s quantile of the call latency", quantile)
          .isTrue();
    }
    assertThat(after.has("fovea_rpc_failovers_total")).isTrue();
    assertThat(after.value("fovea_registry_providers")).isGreaterThanOrEqualTo(1);
  }

  @Test
  void providerDirectoryMissesOnAProceduresFirstCallAndHitsAfterwards() throws Exception {
    FoveaClient provider = client("cache-provider");
    provider.advertise("metrics.cached", call -> "cached".getBytes(StandardCharsets.UTF_8));
    provider.flush();
    FoveaClient caller = client("cache-caller");
    Scrape start = management.metrics();

    caller.callText("metrics.cached", "", WAIT).get(5, TimeUnit.SECONDS);
    Scrape afterFirst = management.metrics();
    caller.callText("metrics.cached", "", WAIT).get(5, TimeUnit.SECONDS);
    Scrape afterSecond = management.metrics();

    assertThat(rise(start, afterFirst, "cache_gets_total", "cache", "provider-directory"))
        .isPositive();
    assertThat(rise(start, afterFirst, "cache_gets_total", "result", "miss")).isPositive();
    assertThat(rise(afterFirst, afterSecond, "cache_gets_total", "result", "miss"))
        .as("the second call finds the providers cached")
        .isZero();
    assertThat(rise(afterFirst, afterSecond, "cache_gets_total", "result", "hit")).isEqualTo(1);
  }

  @Test
  void gaugesCountSessionsSubscriptionsAndPatterns() {
    await().atMost(WAIT).until(() -> management.metrics().value("fovea_sessions") == 0);
    FoveaClient first = client("gauge-one");
    FoveaClient second = client("gauge-two");

    first.subscribe("gauge.shared", d -> {});
    first.subscribe("gauge.first.*", d -> {});
    second.subscribe("gauge.shared", d -> {});
    first.flush();
    second.flush();

    Scrape scrape = management.metrics();
    assertThat(scrape.value("fovea_sessions")).isEqualTo(2);
    assertThat(scrape.value("fovea_subscriptions")).isEqualTo(3);
    assertThat(scrape.value("fovea_patterns")).isEqualTo(2);
    for (String family : List.of("topic_shard", "rpc_router", "session")) {
      assertThat(scrape.has("fovea_mailbox_depth_" + family)).as(family).isTrue();
    }
  }

  @Test
  void sessionsViewShowsEachClientWithItsSubscriptionsAndAdvertisements() {
    FoveaClient viewed = client("viewed-client");
    viewed.subscribe("view.sessions.b", d -> {});
    viewed.subscribe("view.sessions.a.*", d -> {});
    viewed.advertise("view.sessions.proc", call -> new byte[0]);
    viewed.flush();

    JsonNode session = management.session("viewed-client");

    assertThat(session).as("the client's session in /view/sessions").isNotNull();
    assertThat(session.path("session").asText()).isEqualTo(viewed.sessionId());
    assertThat(session.path("realm").asText()).isEqualTo(TestNode.REALM);
    assertThat(session.path("remote").asText()).contains("127.0.0.1");
    assertThat(session.path("queue_depth").asInt()).isZero();
    assertThat(session.path("queued_bytes").asLong()).isZero();
    assertThat(session.path("dropped").asLong()).isZero();
    assertThat(texts(session.path("subscriptions")))
        .containsExactly("view.sessions.a.*", "view.sessions.b");
    assertThat(texts(session.path("advertisements"))).containsExactly("view.sessions.proc");

    viewed.close();
    await().atMost(WAIT).until(() -> management.session("viewed-client") == null);
  }

  @Test
  void topicsViewCountsTheSessionsOfEachPattern() {
    FoveaClient first = client("topics-one");
    FoveaClient second = client("topics-two");
    first.subscribe("view.topics.shared", d -> {});
    second.subscribe("view.topics.shared", d -> {});
    second.subscribe("view.topics.own.**", d -> {});
    first.flush();
    second.flush();

    JsonNode topics = management.json("view/topics");

    assertThat(sessionsOf(topics, "view.topics.shared")).isEqualTo(2);
    assertThat(sessionsOf(topics, "view.topics.own.**")).isEqualTo(1);
    second.close();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              JsonNode now = management.json("view/topics");
              assertThat(sessionsOf(now, "view.topics.shared")).isEqualTo(1);
              assertThat(sessionsOf(now, "view.topics.own.**")).isZero();
            });
  }

  @Test
  void proceduresViewShowsEachProviderWithItsNodeAndExpiry() {
    FoveaClient provider = client("procedures-provider");
    Duration ttl = Duration.ofSeconds(60);
    Instant advertised = Instant.now();
    provider.advertise("view.procedures.proc", ttl, call -> new byte[0]);
    provider.flush();

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              JsonNode procedure = procedure(management.json("view/procedures"));
              assertThat(procedure).as("view.procedures.proc in /view/procedures").isNotNull();
              JsonNode providers = procedure.path("providers");
              assertThat(providers).hasSize(1);
              JsonNode p = providers.get(0);
              assertThat(p.path("provider").asText()).endsWith(provider.sessionId());
              assertThat(p.path("node").asText()).isEqualTo(node.node().nodeId());
              Instant expiresAt = Instant.parse(p.path("expires_at").asText());
              assertThat(Duration.between(advertised, expiresAt).toMillis())
                  .isCloseTo(ttl.toMillis(), within(5_000L));
            });
  }

  @Test
  void nodeThatCannotJoinItsClusterIsLiveButNotReady() throws Exception {
    String nobody = "pekko://fovea@127.0.0.1:" + unusedPort();

    // The gateway binds whether or not the cluster is joined, so start returns.
    try (TestNode lonely = TestNode.start("pekko.cluster.seed-nodes", List.of(nobody))) {
      Management lonelyManagement = Management.of(lonely);

      assertThat(lonelyManagement.get("live").status()).isEqualTo(200);
      await()
          .during(Duration.ofSeconds(1))
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                Management.Response ready = lonelyManagement.get("ready");
                assertThat(ready.status()).isEqualTo(503);
                assertThat(ready.body()).contains("ClusterMembershipCheck");
              });
      JsonNode health = lonelyManagement.get("health").json();
      assertThat(health.path("gateway_listening").asBoolean()).isTrue();
      assertThat(health.path("cluster_members").asInt()).isZero();
    }
  }

  @Test
  void nodeIsNotReadyUntilItJoinsItsClusterAndReadyOnceItHas() throws Exception {
    int seedPort = unusedPort();
    TestNode joiner =
        TestNode.start("pekko.cluster.seed-nodes", List.of("pekko://fovea@127.0.0.1:" + seedPort));
    TestNode seed = null;
    try {
      Management joinerManagement = Management.of(joiner);
      assertThat(joinerManagement.get("ready").status()).isEqualTo(503);

      seed = TestNode.start("pekko.remote.artery.canonical.port", seedPort);

      // A node that found no seed asks again after a few seconds.
      await()
          .atMost(JOIN_WAIT)
          .untilAsserted(
              () -> {
                Management.Response ready = joinerManagement.get("ready");
                assertThat(ready.status()).isEqualTo(200);
                assertThat(ready.body()).isEqualTo("OK");
              });
      assertThat(joinerManagement.get("health").json().path("cluster_members").asInt())
          .isEqualTo(2);
    } finally {
      // The node that joined leaves first, so that the seed, the oldest, hands nothing off.
      joiner.close();
      if (seed != null) {
        seed.close();
      }
    }
  }

  private FoveaClient client(String name) {
    FoveaClient client =
        FoveaClient.builder("127.0.0.1", node.port())
            .realm(TestNode.REALM)
            .clientName(name)
            .connect();
    clients.add(client);
    return client;
  }

  private static double rise(Scrape before, Scrape after, String name, String... labels) {
    return after.value(name, labels) - before.value(name, labels);
  }

  private static CallException callError(FoveaClient caller, String procedure) throws Exception {
    CompletableFuture<byte[]> call = caller.call(procedure, new byte[0], WAIT);
    try {
      call.get(5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return (CallException) e.getCause();
    }
    throw new AssertionError("the call to " + procedure + " succeeded");
  }

  private static List<String> texts(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }

  private static int sessionsOf(JsonNode topics, String pattern) {
    for (JsonNode t : topics) {
      if (t.path("pattern").asText().equals(pattern)) {
        return t.path("sessions").asInt();
      }
    }
    return 0;
  }

  private static JsonNode procedure(JsonNode procedures) {
    for (JsonNode p : procedures) {
      if (p.path("procedure").asText().equals("view.procedures.proc")) {
        return p;
      }
    }
    return null;
  }

  private static int unusedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
