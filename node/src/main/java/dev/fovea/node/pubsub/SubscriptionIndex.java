package dev.fovea.node.pubsub;

import dev.fovea.node.gateway.Outbox;
import dev.fovea.protocol.topic.TopicTrie;
import java.util.function.Consumer;

/**
 * The node's local subscriptions: which sessions subscribed which patterns. Sessions change it
 * from their own actors while every topic shard matches against it at once; the trie allows
 * that without a lock on the read side.
 */
public final class SubscriptionIndex {
  private final TopicTrie<Outbox> trie = new TopicTrie<>();

  /** True when this session had not subscribed this pattern before. */
  public boolean add(String pattern, Outbox session) {
    return trie.add(pattern, session);
  }

  public boolean remove(String pattern, Outbox session) {
    return trie.remove(pattern, session);
  }

  /** Visits each session subscribed to a pattern that matches the topic, once. */
  public void forEachSubscriber(String topic, Consumer<Outbox> action) {
    trie.forEachMatch(topic, action);
  }

  public int patternCount() {
    return trie.patternCount();
  }

  public int subscriptionCount() {
    return trie.size();
  }
}
