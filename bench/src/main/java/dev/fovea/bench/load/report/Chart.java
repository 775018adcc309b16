package dev.fovea.bench.load.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;

/**
 * One panel per headline figure, a bar per system, the bar for Fovea as a dashed line.
 * Drawn with java.awt on a headless JVM, so it needs no fonts or packages beyond the JDK.
 */
final class Chart {
  private static final int PANEL_WIDTH = 420;
  private static final int PANEL_HEIGHT = 300;
  private static final int COLUMNS = 4;
  private static final int TITLE_HEIGHT = 50;

  private static final Map<String, Color> COLORS =
      Map.of(
          "fovea", new Color(0xD9, 0x5F, 0x02),
          "nats", new Color(0x1B, 0x9E, 0x77),
          "mosquitto", new Color(0x75, 0x70, 0xB3),
          "pekko", new Color(0x66, 0x66, 0x66));

  /** A panel: one figure of one run, and the bar Fovea should reach, or 0. */
  record Panel(String title, String label, String figure, double scale, double bar) {}

  static final List<Panel> PANELS =
      List.of(
          new Panel("pubsub 1→1, msgs/s", "pubsub-1x1", "delivered_per_s", 1, 500_000),
          new Panel("pubsub 4→4 wildcard, msgs/s", "pubsub-4x4-wildcard", "delivered_per_s", 1, 0),
          new Panel(
              "pubsub 1→1 at fixed rate, p99 µs ↓", "pubsub-1x1-rate", "latency_p99_us", 1, 0),
          new Panel("fanout to 100, deliveries/s", "fanout-100", "deliveries_per_s", 1, 1_000_000),
          new Panel("rpc 64 in flight, calls/s", "rpc-64", "calls_per_s", 1, 100_000),
          new Panel("rpc 1 in flight, p50 µs ↓", "rpc-1", "rtt_p50_us", 1, 100),
          new Panel(
              "patterns 100k subs, publishes/s", "patterns-100k", "publishes_per_s", 1, 100_000),
          new Panel(
              "cluster 3 nodes, cross-node msgs/s", "cluster-3", "cross_node_per_s", 1, 200_000),
          new Panel("connections: accepted/s", "connections-10k", "accept_per_s", 1, 0),
          new Panel(
              "memory per session, KiB ↓ (Fovea: heap)",
              "connections-10k",
              "memory_per_session",
              1.0 / 1024,
              20));

  private Chart() {}

  static void write(Results results, String title, Path file) throws IOException {
    int rows = (PANELS.size() + COLUMNS - 1) / COLUMNS;
    int width = PANEL_WIDTH * COLUMNS;
    int height = TITLE_HEIGHT + PANEL_HEIGHT * rows;
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 20));
    g.drawString(title, 16, 32);

    for (int i = 0; i < PANELS.size(); i++) {
      int x = (i % COLUMNS) * PANEL_WIDTH;
      int y = TITLE_HEIGHT + (i / COLUMNS) * PANEL_HEIGHT;
      drawPanel(g, results, PANELS.get(i), x, y);
    }
    g.dispose();
    ImageIO.write(image, "png", file.toFile());
  }

  private static void drawPanel(Graphics2D g, Results results, Panel panel, int x, int y) {
    int left = x + 20;
    int top = y + 40;
    int plotWidth = PANEL_WIDTH - 40;
    int plotHeight = PANEL_HEIGHT - 90;
    g.setColor(new Color(0xF4, 0xF4, 0xF4));
    g.fillRect(x + 8, y + 8, PANEL_WIDTH - 16, PANEL_HEIGHT - 16);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    g.drawString(panel.title(), x + 16, y + 28);

    List<String> systems = results.systems(panel.label());
    double max = panel.bar() * 1.1;
    for (String system : systems) {
      max = Math.max(max, value(results, panel, system).orElse(0.0) * 1.15);
    }
    if (systems.isEmpty() || max <= 0) {
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      g.drawString("not run", left, top + plotHeight / 2);
      return;
    }
    int slot = plotWidth / Math.max(1, systems.size());
    int bottom = top + plotHeight;
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    FontMetrics metrics = g.getFontMetrics();
    for (int s = 0; s < systems.size(); s++) {
      String system = systems.get(s);
      Optional<Double> value = value(results, panel, system);
      int barLeft = left + s * slot + slot / 6;
      int barWidth = slot * 2 / 3;
      String text = value.map(Results::format).orElse("failed");
      int barHeight = (int) Math.round(value.orElse(0.0) / max * plotHeight);
      g.setColor(COLORS.getOrDefault(system, Color.GRAY));
      g.fillRect(barLeft, bottom - barHeight, barWidth, barHeight);
      g.setColor(Color.BLACK);
      g.drawString(
          text, barLeft + (barWidth - metrics.stringWidth(text)) / 2, bottom - barHeight - 4);
      g.drawString(system, barLeft + (barWidth - metrics.stringWidth(system)) / 2, bottom + 16);
    }
    g.drawLine(left, bottom, left + plotWidth, bottom);
    if (panel.bar() > 0) {
      int barY = bottom - (int) Math.round(panel.bar() / max * plotHeight);
      g.setColor(COLORS.get("fovea"));
      g.setStroke(
          new BasicStroke(
              1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
      g.drawLine(left, barY, left + plotWidth, barY);
      g.setStroke(new BasicStroke());
      // At the right end, on a white box: bars of other systems are there more often than not
      // lower than Fovea's.
      String text = "Fovea bar " + Results.format(panel.bar());
      int textWidth = metrics.stringWidth(text);
      int textLeft = left + plotWidth - textWidth - 2;
      g.setColor(Color.WHITE);
      g.fillRect(textLeft - 2, barY - metrics.getAscent() - 3, textWidth + 4, metrics.getAscent());
      g.setColor(COLORS.get("fovea"));
      g.drawString(text, textLeft, barY - 4);
    }
  }

  /**
   * A panel's value for one system. Memory per session is the heap of a Fovea node, where the
   * peers, which have no heap, give their resident memory.
   */
  private static Optional<Double> value(Results results, Panel panel, String system) {
    String figure = panel.figure();
    if (figure.equals("memory_per_session")) {
      figure = system.equals("fovea") ? "heap_per_session_bytes" : "rss_per_session_bytes";
    }
    return results.figure(panel.label(), system, figure).map(v -> v * panel.scale());
  }
}
