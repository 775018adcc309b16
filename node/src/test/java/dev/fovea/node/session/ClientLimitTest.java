package dev.fovea.node.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.fovea.client.FoveaClient;
import dev.fovea.client.FoveaException;
import dev.fovea.node.Management;
import dev.fovea.node.TestNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node that serves at most three clients refuses the fourth with {@code max_clients}, leaves the
 * three it serves alone, and admits a newcomer as soon as one of them leaves.
 */
class ClientLimitTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final int MAX = 3;
  private static TestNode node;
  private static Management management;

  private final List<FoveaClient> clients = new ArrayList<>();

  @BeforeAll
  static void startNode() {
    node = TestNode.start("fovea.clients.max", MAX);
    management = Management.of(node);
  }

  @AfterAll
  static void stopNode() throws Exception {
    node.close();
  }

  @AfterEach
  void disconnect() {
    clients.forEach(FoveaClient::close);
    await().atMost(WAIT).until(() -> management.metrics().value("fovea_sessions") == 0);
  }

  @Test
  void clientOverTheLimitIsRefusedAndTheAdmittedOnesKeepWorking() {
    double refusedBefore = refusedMaxClients();
    for (int i = 0; i < MAX; i++) {
      connect("admitted-" + i);
    }
    List<String> received = new CopyOnWriteArrayList<>();
    clients.get(0).subscribe("limit.check", d -> received.add(d.text()));
    clients.get(0).flush();

    FoveaException refused = catchThrowableOfType(FoveaException.class, () -> connect("fourth"));

    assertThat(refused).as("the fourth CONNECT is refused").isNotNull();
    assertThat(refused.code()).isEqualTo("max_clients");
    assertThat(refused.reason()).contains(Integer.toString(MAX));
    clients.get(1).publish("limit.check", "from one");
    clients.get(2).publish("limit.check", "from two");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(received).containsExactlyInAnyOrder("from one", "from two"));
    assertThat(clients).allMatch(FoveaClient::isOpen);
    Management.Scrape metrics = management.metrics();
    assertThat(metrics.value("fovea_refused_total", "code", "max_clients") - refusedBefore)
        .isEqualTo(1);
    assertThat(metrics.value("fovea_sessions")).isEqualTo(MAX);
  }

  @Test
  void slotFreedByADisconnectAdmitsTheNextClient() {
    for (int i = 0; i < MAX; i++) {
      connect("holder-" + i);
    }
    assertThat(catchThrowableOfType(FoveaException.class, () -> connect("waiting")).code())
        .isEqualTo("max_clients");

    clients.remove(0).close();

    // The slot frees once the node has seen the session end: retry until it has.
    FoveaClient newcomer =
        await()
            .atMost(WAIT)
            .ignoreExceptionsMatching(
                e -> e instanceof FoveaException f && f.code().equals("max_clients"))
            .until(() -> connect("newcomer"), FoveaClient::isOpen);
    newcomer.flush();
    assertThat(newcomer.isOpen()).isTrue();
    assertThat(management.metrics().value("fovea_sessions")).isEqualTo(MAX);
  }

  private FoveaClient connect(String name) {
    FoveaClient client =
        FoveaClient.builder("127.0.0.1", node.port())
            .realm(TestNode.REALM)
            .clientName(name)
            .connect();
    clients.add(client);
    return client;
  }

  private static double refusedMaxClients() {
    return management.metrics().value("fovea_refused_total", "code", "max_clients");
  }
}
