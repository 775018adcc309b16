package dev.fovea.node.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ShardRoomTest {
  private final AtomicInteger depth = new AtomicInteger();
  private final ShardRoom room = new ShardRoom(depth, 10);
  private final AtomicInteger woken = new AtomicInteger();

  @Test
  void aWaiterOfAShardWithRoomIsWokenAtOnce() {
    depth.set(10);

    room.awaitRoom(woken::incrementAndGet);

    assertThat(woken).hasValue(1);
  }

  @Test
  void waitersOfAnOverloadedShardAreWokenOnceItWorksBackUnderTheMark() {
    depth.set(11);
    room.awaitRoom(woken::incrementAndGet);
    room.awaitRoom(woken::incrementAndGet);

    room.onBatchDone();
    assertThat(woken).as("still over the mark").hasValue(0);

    depth.set(3);
    room.onBatchDone();
    assertThat(woken).hasValue(2);

    room.onBatchDone();
    assertThat(woken).as("each waiter is woken once").hasValue(2);
  }
}
