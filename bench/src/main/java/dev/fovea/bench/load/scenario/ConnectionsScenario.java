package dev.fovea.bench.load.scenario;

import dev.fovea.bench.load.ProcessMemory;
import dev.fovea.bench.load.RunReport;
import dev.fovea.bench.load.target.Handshake;
import dev.fovea.bench.load.target.Target;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Ramps to N idle sessions and holds them: how fast the server admits them, and what each costs it.
 * Sessions are opened from one selector thread speaking each system's handshake (see {@link
 * Handshake} for why not through the full clients). Memory is read from the server process: a Fovea
 * node's heap after a full GC, before and after, and every server's resident set.
 */
@Command(
    name = "connections",
    mixinStandardHelpOptions = true,
    description = "Ramp to N clients: accept rate, memory per session.")
final class ConnectionsScenario extends ScenarioCommand {
  private static final Duration RAMP_TIMEOUT = Duration.ofSeconds(180);

  @Option(names = "--clients", defaultValue = "10000", description = "Default: ${DEFAULT-VALUE}.")
  int clients;

  @Option(
      names = "--concurrency",
      defaultValue = "64",
      description = "Handshakes under way at once. Default: ${DEFAULT-VALUE}.")
  int concurrency;

  @Option(
      names = "--pid",
      description = "The server's process id, to measure its memory (heap through jcmd for Fovea).")
  Long pid;

  private final List<SocketChannel> open = new ArrayList<>();
  private final ByteBuffer buffer = ByteBuffer.allocate(8192);
  private int admitted;
  private int refused;
  private int failed;
  private int closedByServer;
  private long lastAdmittedNanos;

  @Override
  String scenario() {
    return "connections";
  }

  @Override
  void run(RunReport report) throws Exception {
    report.param("clients", clients).param("concurrency", concurrency);
    Target target = load.target();
    InetSocketAddress server = target.servers().get(0);
    InetSocketAddress address = new InetSocketAddress(server.getHostString(), server.getPort());
    boolean jvm = target.system().equals("fovea");

    long heapBefore = pid != null && jvm ? ProcessMemory.heapAfterFullGc(pid) : 0;
    long rssBefore = pid != null ? ProcessMemory.residentBytes(pid) : 0;
    try (Selector selector = Selector.open()) {
      long start = System.nanoTime();
      ramp(selector, address, target.handshake());
      double rampSeconds = (lastAdmittedNanos - start) / 1e9;
      report.figure("admitted", admitted);
      report.figure("refused", refused);
      report.figure("failed", failed);
      report.figure("ramp_s", rampSeconds);
      report.figure("accept_per_s", admitted / rampSeconds);

      if (pid != null && admitted > 0) {
        if (jvm) {
          long heapAfter = ProcessMemory.heapAfterFullGc(pid);
          report.figure("heap_per_session_bytes", (double) (heapAfter - heapBefore) / admitted);
        }
        long rssAfter = ProcessMemory.residentBytes(pid);
        report.figure("rss_per_session_bytes", (double) (rssAfter - rssBefore) / admitted);
      }
      hold(selector, load.duration());
      report.figure("closed_by_server", closedByServer);
    } finally {
      for (SocketChannel channel : open) {
        closeQuietly(channel);
      }
    }
    if (admitted < clients) {
      report.problem(
          admitted
              + " of "
              + clients
              + " sessions admitted ("
              + refused
              + " refused, "
              + failed
              + " failed)");
    }
    if (closedByServer > 0) {
      report.problem(closedByServer + " admitted sessions were closed by the server");
    }
  }

  private void ramp(Selector selector, InetSocketAddress server, Handshake handshake)
      throws IOException {
    long deadline = System.nanoTime() + RAMP_TIMEOUT.toNanos();
    int started = 0;
    int underWay = 0;
    while (admitted + refused + failed < clients && System.nanoTime() < deadline) {
      while (underWay < concurrency && started < clients) {
        SocketChannel channel = SocketChannel.open();
        channel.configureBlocking(false);
        channel.connect(server);
        Handshake.Exchange exchange = handshake.begin(started);
        channel.register(
            selector,
            SelectionKey.OP_CONNECT,
            new Session(exchange, ByteBuffer.wrap(exchange.hello())));
        open.add(channel);
        started++;
        underWay++;
      }
      selector.select(100);
      for (SelectionKey key : selector.selectedKeys()) {
        Session session = (Session) key.attachment();
        boolean wasPending = session.verdict == Handshake.Verdict.PENDING && !session.failed;
        step(key, session);
        if (wasPending && (session.verdict != Handshake.Verdict.PENDING || session.failed)) {
          underWay--;
        }
      }
      selector.selectedKeys().clear();
    }
  }

  /** Keeps the sessions for a while, noticing any the server closes. */
  private void hold(Selector selector, Duration duration) throws IOException {
    long end = System.nanoTime() + duration.toNanos();
    while (System.nanoTime() < end) {
      selector.select(100);
      for (SelectionKey key : selector.selectedKeys()) {
        step(key, (Session) key.attachment());
      }
      selector.selectedKeys().clear();
    }
  }

  private void step(SelectionKey key, Session session) {
    SocketChannel channel = (SocketChannel) key.channel();
    try {
      if (key.isConnectable() && channel.finishConnect()) {
        key.interestOps(SelectionKey.OP_WRITE);
      }
      if (key.isValid() && key.isWritable()) {
        channel.write(session.hello);
        if (!session.hello.hasRemaining()) {
          key.interestOps(SelectionKey.OP_READ);
        }
      }
      if (key.isValid() && key.isReadable()) {
        buffer.clear();
        if (channel.read(buffer) < 0) {
          throw new IOException("closed by the server");
        }
        buffer.flip();
        if (session.verdict == Handshake.Verdict.PENDING) {
          session.verdict = session.exchange.read(buffer);
          if (session.verdict == Handshake.Verdict.ADMITTED) {
            admitted++;
            lastAdmittedNanos = System.nanoTime();
          } else if (session.verdict == Handshake.Verdict.REFUSED) {
            refused++;
            key.cancel();
            closeQuietly(channel);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      if (session.verdict == Handshake.Verdict.ADMITTED) {
        closedByServer++;
      } else if (!session.failed) {
        failed++;
      }
      session.failed = true;
      key.cancel();
      closeQuietly(channel);
    }
  }

  private static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // Already gone.
    }
  }

  /** The state of one connection's handshake. */
  private static final class Session {
    final Handshake.Exchange exchange;
    final ByteBuffer hello;
    Handshake.Verdict verdict = Handshake.Verdict.PENDING;
    boolean failed;

    Session(Handshake.Exchange exchange, ByteBuffer hello) {
      this.exchange = exchange;
      this.hello = hello;
    }
  }
}
