package dev.fovea.node.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Looks at every counted mailbox at a fixed interval. A family with an actor above the high-water
 * mark makes the node's health degraded, naming the actor and its depth, and is logged at most once
 * per warning interval; when every mailbox is back under the mark, health recovers. The actors
 * themselves act on their own depth (shedding, refusing); this only reports.
 */
public final class MailboxWatch {
  public static final String CHECK = "mailboxes";

  private enum Tick {
    INSTANCE
  }

  private MailboxWatch() {}

  public static Behavior<Object> create(
      MailboxDepths depths,
      NodeHealth health,
      int highWaterMark,
      Duration every,
      Duration warnEvery) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> {
                  timers.startTimerWithFixedDelay(Tick.INSTANCE, every);
                  Map<String, Long> lastWarned = new HashMap<>();
                  return Behaviors.receiveMessage(
                      tick -> {
                        List<MailboxDepths.Depth> over = depths.above(highWaterMark);
                        List<String> reasons = new ArrayList<>();
                        long now = System.nanoTime();
                        for (MailboxDepths.Depth d : over) {
                          reasons.add(
                              d.family()
                                  + " "
                                  + d.actor()
                                  + " has "
                                  + d.depth()
                                  + " messages queued, over the high-water mark of "
                                  + highWaterMark);
                          Long last = lastWarned.get(d.family());
                          if (last == null || now - last >= warnEvery.toNanos()) {
                            lastWarned.put(d.family(), now);
                            ctx.getLog()
                                .warn(
                                    "{} {} has {} messages queued (high-water mark {})",
                                    d.family(),
                                    d.actor(),
                                    d.depth(),
                                    highWaterMark);
                          }
                        }
                        health.report(CHECK, reasons);
                        return Behaviors.same();
                      });
                }));
  }
}
