package dev.fovea.node.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fovea.client.Delivery;
import dev.fovea.client.FoveaClient;
import dev.fovea.client.Subscription;
import dev.fovea.node.TestNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Publish and subscribe through real sockets, with the Java client, against a running node. */
class PubSubEndToEndTest {
  private static TestNode node;
  private FoveaClient publisher;
  private FoveaClient subscriber;

  @BeforeAll
  static void startNode() {
    node = TestNode.start();
  }

  @AfterAll
  static void stopNode() throws Exception {
    node.close();
  }

  @BeforeEach
  void connect() {
    publisher = FoveaClient.connect("127.0.0.1", node.port(), TestNode.REALM);
    subscriber = FoveaClient.connect("127.0.0.1", node.port(), TestNode.REALM);
  }

  @AfterEach
  void disconnect() {
    publisher.close();
    subscriber.close();
  }

  @Test
  void singleSegmentWildcardMatchesExactlyOneSegment() {
    List<String> topics = record(subscriber, "sensor.*.temp");

    publishAll("sensor.kitchen.temp", "sensor.temp", "sensor.a.b.temp", "sensor.hall.temp");

    awaitTopics(topics, "sensor.kitchen.temp", "sensor.hall.temp");
  }

  @Test
  void multiSegmentWildcardAtTheEndMatchesZeroOrMoreSegments() {
    List<String> topics = record(subscriber, "sensor.**");

    publishAll("sensor", "sensor.kitchen", "sensor.kitchen.temp", "other.kitchen");

    awaitTopics(topics, "sensor", "sensor.kitchen", "sensor.kitchen.temp");
  }

  @Test
  void multiSegmentWildcardAtTheStartMatchesAnyPrefix() {
    List<String> topics = record(subscriber, "**.alarm");

    publishAll("alarm", "house.alarm", "house.floor1.alarm", "house.alarm.test");

    awaitTopics(topics, "alarm", "house.alarm", "house.floor1.alarm");
  }

  @Test
  void multiSegmentWildcardInTheMiddleMatchesAnyInnerPath() {
    List<String> topics = record(subscriber, "a.**.z");

    publishAll("a.z", "a.b.z", "a.b.c.d.z", "a.b", "b.a.z");

    awaitTopics(topics, "a.z", "a.b.z", "a.b.c.d.z");
  }

  @Test
  void publisherReceivesItsOwnMessageWhenSubscribed() {
    List<String> topics = record(publisher, "echo.*");

    publisher.publish("echo.me", "mine");

    awaitTopics(topics, "echo.me");
  }

  @Test
  void sessionWithOverlappingPatternsReceivesEachMessageOnce() {
    List<String> first = record(subscriber, "dup.**");
    List<String> second = record(subscriber, "dup.*.x");
    List<String> third = record(subscriber, "dup.y.x");

    publishAll("dup.y.x", "marker.end");
    List<String> marker = record(subscriber, "marker.**");
    publisher.publish("marker.end", "done");
    await().atMost(Duration.ofSeconds(5)).until(() -> marker.size() == 1);

    // The node sends the frame once; the client hands it to each local subscription once.
    assertThat(first).containsExactly("dup.y.x");
    assertThat(second).containsExactly("dup.y.x");
    assertThat(third).containsExactly("dup.y.x");
  }

  @Test
  void unsubscribeStopsDelivery() {
    List<String> kept = record(subscriber, "keep.*");
    List<String> topics = new CopyOnWriteArrayList<>();
    Subscription dropped = subscriber.subscribe("drop.*", d -> topics.add(d.topic()));
    subscriber.flush();

    dropped.unsubscribe();
    subscriber.flush();
    publishAll("drop.one", "keep.one");

    awaitTopics(kept, "keep.one");
    assertThat(topics).isEmpty();
  }

  @Test
  void messagesOfOnePublisherOnATopicArriveInOrder() {
    List<Delivery> got = new CopyOnWriteArrayList<>();
    subscriber.subscribe("order.test", got::add);
    subscriber.flush();

    for (int i = 0; i < 2000; i++) {
      publisher.publish("order.test", Integer.toString(i));
    }

    await().atMost(Duration.ofSeconds(10)).until(() -> got.size() == 2000);
    for (int i = 0; i < 2000; i++) {
      assertThat(got.get(i).text()).isEqualTo(Integer.toString(i));
    }
  }

  private static List<String> record(FoveaClient client, String pattern) {
    List<String> topics = new CopyOnWriteArrayList<>();
    client.subscribe(pattern, d -> topics.add(d.topic()));
    client.flush();
    return topics;
  }

  private void publishAll(String... topics) {
    for (String topic : topics) {
      publisher.publish(topic, "x");
    }
    publisher.flush();
  }

  private static void awaitTopics(List<String> received, String... expected) {
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(received).containsExactlyInAnyOrder(expected));
    // Nothing more arrives after the expected ones: a later stray would be a wrong match.
    await()
        .during(Duration.ofMillis(200))
        .atMost(Duration.ofSeconds(2))
        .untilAsserted(() -> assertThat(received).hasSize(expected.length));
  }
}
