package dev.fovea.client;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** The client's threads: all daemons, so that a forgotten client never keeps a JVM alive. */
final class ClientThreads {
  private ClientThreads() {}

  /** Names threads {@code prefix-1}, {@code prefix-2}, ... */
  static ThreadFactory daemons(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return task -> daemon(prefix + "-" + count.incrementAndGet(), task);
  }

  static Thread daemon(String name, Runnable task) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    return thread;
  }

  /**
   * The timer shared by every client in the JVM. Its tasks only fail a future that waited too long,
   * so one thread is plenty; cancelled timers are removed at once because almost every one is.
   */
  static ScheduledExecutorService timer() {
    return TimerHolder.TIMER;
  }

  private static final class TimerHolder {
    static final ScheduledExecutorService TIMER = create();

    private static ScheduledExecutorService create() {
      ScheduledThreadPoolExecutor timer =
          new ScheduledThreadPoolExecutor(1, task -> daemon("fovea-client-timer", task));
      timer.setRemoveOnCancelPolicy(true);
      return timer;
    }
  }
}
