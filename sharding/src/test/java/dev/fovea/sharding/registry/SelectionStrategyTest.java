package dev.fovea.sharding.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SelectionStrategyTest {

  @ParameterizedTest
  @EnumSource(SelectionStrategy.class)
  void parseReadsBackTheConfigName(SelectionStrategy strategy) {
    assertThat(SelectionStrategy.parse(strategy.configName())).isEqualTo(strategy);
  }

  @Test
  void parseAcceptsCaseDashesAndSurroundingSpace() {
    assertThat(SelectionStrategy.parse(" Local-First ")).isEqualTo(SelectionStrategy.LOCAL_FIRST);
    assertThat(SelectionStrategy.parse("ROUND_ROBIN")).isEqualTo(SelectionStrategy.ROUND_ROBIN);
  }

  @Test
  void parseRejectsAnUnknownNameAndQuotesIt() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> SelectionStrategy.parse("fastest"))
        .withMessageContaining("'fastest'")
        .withMessageContaining("round_robin");
  }
}
