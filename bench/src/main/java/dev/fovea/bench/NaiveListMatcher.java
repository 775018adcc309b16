package dev.fovea.bench;

import dev.fovea.protocol.topic.Topics;
import java.util.ArrayList;
import java.util.List;

/**
 * macula's subscription matching: every subscription is kept in one list, and a publish filters the
 * whole list with the reference wildcard matcher ({@code lists:filter} over the patterns). The cost
 * of a publish grows with the number of subscriptions, whatever the topic.
 *
 * @param <V> the subscriber
 */
final class NaiveListMatcher<V> {
  private final List<Subscription<V>> subscriptions = new ArrayList<>();

  void add(String pattern, V subscriber) {
    subscriptions.add(new Subscription<>(pattern, subscriber));
  }

  /** The subscribers of every subscription whose pattern matches the topic, in list order. */
  List<V> match(String topic) {
    List<V> matched = new ArrayList<>();
    for (Subscription<V> s : subscriptions) {
      if (Topics.matches(s.pattern(), topic)) {
        matched.add(s.subscriber());
      }
    }
    return matched;
  }

  int size() {
    return subscriptions.size();
  }

  private record Subscription<V>(String pattern, V subscriber) {}
}
