package dev.fovea.node.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AttemptDeadlinesTest {
  private final AttemptDeadlines deadlines = new AttemptDeadlines();
  private final List<Long> expired = new ArrayList<>();

  @Test
  void attemptsExpireOnceTheirTimeoutHasPassedInDeadlineOrderPerTimeout() {
    deadlines.add(1, 100, 0);
    deadlines.add(2, 50, 10);
    deadlines.add(3, 100, 20);

    deadlines.expire(59, expired::add);
    assertThat(expired).isEmpty();

    deadlines.expire(60, expired::add);
    assertThat(expired).containsExactly(2L);

    deadlines.expire(120, expired::add);
    assertThat(expired).containsExactly(2L, 1L, 3L);
    assertThat(deadlines.isEmpty()).isTrue();
  }

  @Test
  void aRemovedAttemptNeverExpiresAndRemovingTwiceIsHarmless() {
    AttemptDeadlines.Entry first = deadlines.add(1, 100, 0);
    AttemptDeadlines.Entry middle = deadlines.add(2, 100, 1);
    deadlines.add(3, 100, 2);

    deadlines.remove(middle);
    deadlines.remove(middle);
    deadlines.remove(first);

    assertThat(deadlines.size()).isEqualTo(1);
    deadlines.expire(1_000, expired::add);
    assertThat(expired).containsExactly(3L);
  }

  @Test
  void theConsumerMayStartTheNextAttemptWhileDeadlinesExpire() {
    deadlines.add(1, 100, 0);

    deadlines.expire(100, key -> deadlines.add(key, 100, 100));

    assertThat(deadlines.size()).isEqualTo(1);
    deadlines.expire(200, expired::add);
    assertThat(expired).containsExactly(1L);
  }
}
