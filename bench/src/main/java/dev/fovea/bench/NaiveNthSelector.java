package dev.fovea.bench;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * macula's provider selection: the providers are a linked list, and a pick takes its length and
 * then walks to the chosen index from the head, as {@code length/1} and {@code lists:nth/2} do on
 * an Erlang list. Round robin keeps one counter per procedure in a map. Not thread-safe: in macula
 * this state belongs to one process.
 *
 * @param <P> the provider
 */
final class NaiveNthSelector<P> {
  private final LinkedList<P> providers;
  private final Map<String, Integer> counters = new HashMap<>();

  NaiveNthSelector(List<P> providers) {
    this.providers = new LinkedList<>(providers);
  }

  P random() {
    return nth(ThreadLocalRandom.current().nextInt(length()));
  }

  P roundRobin(String procedure) {
    int counter = counters.getOrDefault(procedure, 0);
    P provider = nth(counter % length());
    counters.put(procedure, counter + 1);
    return provider;
  }

  /** An Erlang list does not know its length; {@code LinkedList.size()} would, so walk instead. */
  private int length() {
    int n = 0;
    for (Iterator<P> it = providers.iterator(); it.hasNext(); it.next()) {
      n++;
    }
    return n;
  }

  /** Walks from the head, never from the tail as {@code LinkedList.get} may. */
  private P nth(int index) {
    Iterator<P> it = providers.iterator();
    for (int i = 0; i < index; i++) {
      it.next();
    }
    return it.next();
  }
}
