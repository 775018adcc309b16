package dev.fovea.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class ProbesTest {
  @Test
  void nodeDropsAddEveryReasonAndTheClusterLinksDrops() {
    String metrics =
        "# HELP fovea_drops_total frames dropped, by reason\n"
            + "fovea_drops_total{reason=\"slow_consumer\"} 12.0\n"
            + "fovea_drops_total{reason=\"shard_overload\"} 3.0\n"
            + "fovea_cluster_forward_dropped_total 5.0\n"
            + "fovea_deliveries_total 1000.0\n";

    assertThat(NodeDrops.sum(metrics)).isEqualTo(20);
  }

  @Test
  void liveBytesAreTheHistogramsTotal() throws IOException {
    String histogram =
        " num     #instances         #bytes  class name (module)\n"
            + "   1:         10            160  java.lang.String\n"
            + "Total       2635001      109297312\n";

    assertThat(ProcessMemory.liveBytes(histogram)).isEqualTo(109_297_312L);
    assertThatThrownBy(() -> ProcessMemory.liveBytes("no such process"))
        .isInstanceOf(IOException.class);
  }
}
