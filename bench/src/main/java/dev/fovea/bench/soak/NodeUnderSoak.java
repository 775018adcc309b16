package dev.fovea.bench.soak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The node the soak runs against: a process of its own, started from a copy of the node's jar, so
 * that the heap it reports holds nothing of the load driver. The copy lets the jar be rebuilt while
 * a soak runs; a JVM whose jar is replaced under it fails as soon as it loads another class.
 */
final class NodeUnderSoak implements AutoCloseable {
  static final String REALM = "macula.default";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration JCMD_TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final Path log;
  private final URI management;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private NodeUnderSoak(Process process, Path log, URI management) {
    this.process = process;
    this.log = log;
    this.management = management;
  }

  /** Starts the node and returns once {@code /ready} answers 200. */
  static NodeUnderSoak start(SoakOptions options, Path workDirectory) throws Exception {
    if (!Files.isRegularFile(options.nodeJar())) {
      throw new IllegalStateException(
          options.nodeJar() + " does not exist: build it with mvn -pl node -am package");
    }
    Files.createDirectories(workDirectory);
    Path jar = workDirectory.resolve("node-under-soak.jar");
    Files.copy(options.nodeJar(), jar, StandardCopyOption.REPLACE_EXISTING);
    Path log = workDirectory.resolve("node.log");

    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(options.nodeJvmOptions());
    command.addAll(List.of("-jar", jar.toString(), "node", "--name", "soak"));
    command.addAll(List.of("--port", Integer.toString(options.gatewayPort())));
    command.addAll(List.of("--management-port", Integer.toString(options.managementPort())));
    command.addAll(List.of("--cluster-port", Integer.toString(options.clusterPort())));
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    process.getOutputStream().close();
    NodeUnderSoak node =
        new NodeUnderSoak(
            process, log, URI.create("http://127.0.0.1:" + options.managementPort() + "/"));
    try {
      node.awaitReady();
    } catch (Exception | Error e) {
      node.close();
      throw e;
    }
    return node;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  Path log() {
    return log;
  }

  /** The body of a GET of {@code path}, which must answer 200. */
  String get(String path) {
    HttpRequest request =
        HttpRequest.newBuilder(management.resolve(path)).timeout(Duration.ofSeconds(10)).build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            "GET /" + path + " answered " + response.statusCode() + ": " + response.body());
      }
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException("GET /" + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during GET /" + path, e);
    }
  }

  /** Runs {@code jcmd <pid> <command>} and returns what it printed. */
  String jcmd(String... command) throws IOException, InterruptedException {
    List<String> line = new ArrayList<>();
    line.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
    line.add(Long.toString(process.pid()));
    line.addAll(List.of(command));
    Process jcmd = new ProcessBuilder(line).redirectErrorStream(true).start();
    byte[] output = jcmd.getInputStream().readAllBytes();
    if (!jcmd.waitFor(JCMD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      jcmd.destroyForcibly();
      throw new IllegalStateException(String.join(" ", line) + " did not finish");
    }
    String text = new String(output, StandardCharsets.UTF_8);
    if (jcmd.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", line) + " failed: " + text);
    }
    return text;
  }

  /** Stops the node with SIGTERM, as an operator would, and kills it if it does not end. */
  @Override
  public void close() throws InterruptedException {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void awaitReady() throws Exception {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the node exited with code " + process.exitValue() + " while starting; see " + log);
      }
      try {
        get("ready");
        return;
      } catch (RuntimeException notYet) {
        // Not listening yet, or not Up in its cluster yet.
      }
      // Polling a process we cannot be told about: the only wait there is.
      Thread.sleep(200);
    }
    throw new IllegalStateException(
        "the node was not ready within " + START_TIMEOUT.toSeconds() + " s; see " + log);
  }
}
