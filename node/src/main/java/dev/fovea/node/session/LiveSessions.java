package dev.fovea.node.session;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The views of the node's admitted sessions, by session id. */
public final class LiveSessions {
  private final Map<String, SessionView> views = new ConcurrentHashMap<>();

  void add(SessionView view) {
    views.put(view.sessionId(), view);
  }

  void remove(String sessionId) {
    views.remove(sessionId);
  }

  public Collection<SessionView> all() {
    return List.copyOf(views.values());
  }

  public int size() {
    return views.size();
  }
}
