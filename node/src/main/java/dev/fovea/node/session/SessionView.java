package dev.fovea.node.session;

import dev.fovea.node.gateway.Outbox;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What an operator may see of one session, readable from any thread: the session actor updates it
 * as its client subscribes and advertises, and the management views read it.
 */
public final class SessionView {
  private final String sessionId;
  private final String client;
  private final String realm;
  private final String remote;
  private final Outbox outbox;
  private final Set<String> subscriptions = ConcurrentHashMap.newKeySet();
  private final Set<String> advertisements = ConcurrentHashMap.newKeySet();
  private volatile int pendingCalls;

  SessionView(String sessionId, String client, String realm, String remote, Outbox outbox) {
    this.sessionId = sessionId;
    this.client = client;
    this.realm = realm;
    this.remote = remote;
    this.outbox = outbox;
  }

  public String sessionId() {
    return sessionId;
  }

  public String client() {
    return client;
  }

  public String realm() {
    return realm;
  }

  public String remote() {
    return remote;
  }

  public Set<String> subscriptions() {
    return Set.copyOf(subscriptions);
  }

  public Set<String> advertisements() {
    return Set.copyOf(advertisements);
  }

  public int subscriptionCount() {
    return subscriptions.size();
  }

  public int advertisementCount() {
    return advertisements.size();
  }

  /** The calls this client made that wait for their reply. */
  public int pendingCalls() {
    return pendingCalls;
  }

  void pendingCalls(int pending) {
    this.pendingCalls = pending;
  }

  public int queueDepth() {
    return outbox.depth();
  }

  public long queuedBytes() {
    return outbox.queuedBytes();
  }

  public long dropped() {
    return outbox.dropped();
  }

  Set<String> liveSubscriptions() {
    return subscriptions;
  }

  Set<String> liveAdvertisements() {
    return advertisements;
  }
}
