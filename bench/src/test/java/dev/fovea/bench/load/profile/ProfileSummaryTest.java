package dev.fovea.bench.load.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileSummaryTest {
  private static volatile long sink;

  @Test
  void aBusyMethodLeadsTheRankingsOfARecording(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("busy.jfr");
    try (Recording recording = new Recording()) {
      recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1));
      recording.start();
      spinFor(Duration.ofMillis(800));
      recording.stop();
      recording.dump(file);
    }

    String summary = ProfileSummary.of(file).render(5, "dev.fovea.bench.load.profile.");

    assertThat(Files.size(file)).isPositive();
    assertThat(summary).contains("execution samples", "## by thread pool", "main");
    assertThat(summary.substring(summary.indexOf("methods, inclusive")))
        .contains("ProfileSummaryTest.spinFor");
  }

  private static void spinFor(Duration time) {
    long end = System.nanoTime() + time.toNanos();
    long x = 0;
    while (System.nanoTime() < end) {
      x += Long.numberOfTrailingZeros(x ^ System.nanoTime());
    }
    sink = x;
  }
}
