package dev.fovea.it;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fovea.client.FoveaClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One node process, driven by the Java client: the smallest deployment there is. */
@Timeout(120)
class SingleNodeProcessIT {
  private static final String REALM = "macula.default";
  private static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension final LaunchedProcesses launched = new LaunchedProcesses();

  @Test
  void deliversAnotherClientsPublishAndAnswersEcho() throws Exception {
    NodeProcess node = launched.node("solo").start();
    List<String> received = new CopyOnWriteArrayList<>();

    try (FoveaClient subscriber = connect(node);
        FoveaClient publisher = connect(node)) {
      subscriber.subscribe("sensor.*.temp", m -> received.add(m.topic() + " " + m.text()));
      subscriber.flush();
      // One segment too many for the pattern, so it must not arrive.
      publisher.publishWithAck("sensor.kitchen.temp.max", "30").get(WAIT.toSeconds(), SECONDS);
      publisher.publish("sensor.kitchen.temp", "21");
      await().atMost(WAIT).until(() -> received.contains("sensor.kitchen.temp 21"));

      String echo =
          publisher
              .callText("fovea.diagnostics.echo", "ping", Duration.ofSeconds(5))
              .get(WAIT.toSeconds(), SECONDS);
      assertThat(echo).isEqualTo("ping");
    }
    assertThat(received).containsExactly("sensor.kitchen.temp 21");
  }

  @Test
  void stopsCleanlyOnSigterm() throws Exception {
    NodeProcess node = launched.node("solo").start();
    try (FoveaClient client = connect(node)) {
      client.flush();
    }

    // stop() fails the test if the node still runs after 20 s.
    assertThat(node.stop())
        .as("exit code\n%s", node.outputTail())
        .isEqualTo(LaunchedProcess.EXIT_ON_SIGTERM);
    assertThat(node.log()).contains(NodeProcess.STOPS_ACCEPTING);
  }

  private static FoveaClient connect(NodeProcess node) {
    return FoveaClient.connect("127.0.0.1", node.gatewayPort(), REALM);
  }
}
