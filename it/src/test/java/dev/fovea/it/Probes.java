package dev.fovea.it;

import static org.awaitility.Awaitility.await;

import dev.fovea.client.FoveaClient;
import dev.fovea.client.FoveaException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Waits for what a cluster spreads in the background: a subscription made on one node becomes known
 * to the others, an advertisement to every node's callers. Neither is promised by the time a flush
 * returns, so a test retries the real thing until it works, within a bound.
 */
final class Probes {
  /** Spreading takes milliseconds, or a few seconds of gossip when a node joins. */
  static final Duration SPREAD_TIMEOUT = Duration.ofSeconds(20);

  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration PROBE_CALL_TIMEOUT = Duration.ofSeconds(2);

  private Probes() {}

  /**
   * Publishes {@code probe} on the topic until the inbox has it: then the publisher's node forwards
   * what matches the subscription.
   */
  static void awaitForwarded(FoveaClient publisher, String topic, Inbox inbox) {
    await("a publish on " + topic + " from " + publisher.nodeId() + " arrives")
        .atMost(SPREAD_TIMEOUT)
        .pollInterval(POLL)
        .until(
            () -> {
              publisher.publish(topic, "probe");
              return inbox.has(topic, "probe");
            });
  }

  /**
   * Calls the procedure until each of the answers came back at least once: then the caller's node
   * knows every provider that gives one.
   */
  static void awaitAnswers(FoveaClient caller, String procedure, List<String> answers) {
    Map<String, Integer> outcomes = new ConcurrentHashMap<>();
    try {
      await(procedure + " called from " + caller.nodeId() + " answers " + answers)
          .atMost(SPREAD_TIMEOUT)
          .pollInterval(POLL)
          .until(
              () -> {
                outcomes.merge(callOnce(caller, procedure), 1, Integer::sum);
                return outcomes.keySet().containsAll(answers);
              });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          procedure
              + " called from "
              + caller.nodeId()
              + " did not answer "
              + answers
              + " within "
              + SPREAD_TIMEOUT.toSeconds()
              + " s; outcomes of the calls: "
              + outcomes,
          e);
    }
  }

  /** The answer of one call, or its error's code: not known yet, or not everywhere. */
  private static String callOnce(FoveaClient caller, String procedure) throws InterruptedException {
    try {
      return caller
          .callText(procedure, "", PROBE_CALL_TIMEOUT)
          .get(PROBE_CALL_TIMEOUT.multipliedBy(4).toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      return "error " + (e.getCause() instanceof FoveaException f ? f.code() : e.getCause());
    } catch (TimeoutException e) {
      return "no answer";
    }
  }
}
