package dev.fovea.bench.load.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fovea.bench.load.LoadDriver;
import dev.fovea.bench.load.RunReport;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {
  @TempDir Path dir;

  @Test
  void writesEachFigureBesideItsBarWithTheRatioToThePeer() throws Exception {
    Path runs = dir.resolve("runs.jsonl");
    new RunReport("pubsub", "pubsub-1x1", "fovea").figure("delivered_per_s", 600_000).append(runs);
    new RunReport("pubsub", "pubsub-1x1", "nats").figure("delivered_per_s", 300_000).append(runs);
    new RunReport("rpc", "rpc-1", "fovea").figure("rtt_p50_us", 150).append(runs);
    new RunReport("rpc", "rpc-1", "nats").figure("rtt_p50_us", 50).append(runs);
    new RunReport("fanout", "fanout-100", "nats").problem("the run failed").append(runs);
    Files.writeString(dir.resolve("machine.txt"), "nproc: 2\n");

    int exit = LoadDriver.commandLine().execute("report", "--dir", dir.toString());

    assertThat(exit).isZero();
    String md = Files.readString(dir.resolve("results.md"));
    assertThat(md)
        .contains(
            "| pubsub 1 to 1, 128 B | 500,000 msgs/s | at least NATS | 600,000 | nats 300,000 |")
        .contains("**met**: bar met; peer met (2.00× nats)")
        .contains("**missed**: bar missed; peer missed (3.00× nats)")
        .contains("| pubsub-1x1 | delivered msgs/s ↑ | 600,000 | 300,000 | – | – | 2.00× nats |")
        .contains("the run failed")
        .contains("nproc: 2");
    BufferedImage chart = ImageIO.read(dir.resolve("chart.png").toFile());
    assertThat(chart.getWidth()).isGreaterThan(1000);
  }
}
