package dev.fovea.client;

import dev.fovea.protocol.message.Message;
import dev.fovea.protocol.message.Publish;
import dev.fovea.protocol.message.Subscribe;
import dev.fovea.protocol.message.Unsubscribe;
import dev.fovea.protocol.topic.TopicTrie;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The client's subscriptions. The node delivers a message once per session however many of its
 * patterns match, so the client finds the matching subscriptions itself, in a trie, and hands the
 * message to each once. The node holds one subscription per distinct pattern: SUBSCRIBE goes out
 * with the first local subscription of a pattern and UNSUBSCRIBE with the last.
 */
final class Subscriptions {
  private final TopicTrie<LocalSubscription> trie = new TopicTrie<>();
  private final Consumer<Message> sender;
  private final Executor executor;
  private final int maxPending;

  // Guarded by this. Sending under the lock keeps SUBSCRIBE and UNSUBSCRIBE of one pattern in the
  // order their reference counts changed.
  private final Map<String, Integer> references = new HashMap<>();
  private volatile boolean open = true;

  Subscriptions(Consumer<Message> sender, Executor executor, int maxPending) {
    this.sender = sender;
    this.executor = executor;
    this.maxPending = maxPending;
  }

  /** Adds a subscription for an already validated pattern, subscribing at the node if needed. */
  synchronized LocalSubscription add(String pattern, MessageHandler handler) {
    LocalSubscription subscription =
        new LocalSubscription(this, pattern, handler, executor, maxPending);
    if (references.merge(pattern, 1, Integer::sum) == 1) {
      try {
        sender.accept(new Subscribe(pattern));
      } catch (RuntimeException e) {
        references.remove(pattern);
        throw e;
      }
    }
    trie.add(pattern, subscription);
    return subscription;
  }

  synchronized void remove(LocalSubscription subscription) {
    if (!subscription.deactivate()) {
      return;
    }
    String pattern = subscription.pattern();
    trie.remove(pattern, subscription);
    int left = references.merge(pattern, -1, Integer::sum);
    if (left == 0) {
      references.remove(pattern);
      if (open) {
        unsubscribeAtNode(pattern);
      }
    }
  }

  private void unsubscribeAtNode(String pattern) {
    try {
      sender.accept(new Unsubscribe(pattern));
    } catch (FoveaException e) {
      // A closed connection took the node's subscription with it; only an interrupt is news.
      if (FoveaException.INTERRUPTED.equals(e.code())) {
        throw e;
      }
    }
  }

  /** Hands a delivered message to every matching subscription once; called by the reader. */
  void dispatch(Publish publish) {
    Delivery delivery = new Delivery(publish.topic(), publish.payload());
    trie.forEachMatch(publish.topic(), subscription -> subscription.offer(delivery));
  }

  boolean isOpen() {
    return open;
  }

  /** Stops every delivery, including those already queued. */
  void close() {
    open = false;
  }
}
