package dev.fovea.node.metrics;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node's degraded checks, each with a reason an operator can act on. A check that recovers
 * removes itself; health then reports ok again without anyone stepping in.
 */
public final class NodeHealth {
  private final Map<String, List<String>> degraded = new ConcurrentHashMap<>();

  /** Sets the reasons a check is degraded; an empty list means it is healthy. */
  public void report(String check, List<String> reasons) {
    if (reasons.isEmpty()) {
      degraded.remove(check);
    } else {
      degraded.put(check, List.copyOf(reasons));
    }
  }

  public boolean isHealthy() {
    return degraded.isEmpty();
  }

  /** Each degraded check with its reasons. */
  public Map<String, List<String>> degraded() {
    return Map.copyOf(degraded);
  }
}
