package dev.fovea.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/** A file a launched process writes to, read whole each time: test output is small. */
final class OutputFile {
  private static final Duration POLL_INTERVAL = Duration.ofMillis(50);
  private static final int TAIL_LINES = 40;

  private final Path path;

  OutputFile(Path path) {
    this.path = path;
  }

  Path path() {
    return path;
  }

  /** Everything written so far; a partly written character at the end reads as U+FFFD. */
  String text() {
    try {
      return new String(Files.readAllBytes(path), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return "";
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
  }

  /** The last lines, headed by the file's name, for a failure message. */
  String tail() {
    List<String> lines = text().lines().toList();
    List<String> tail = lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size());
    return "--- "
        + path
        + (tail.isEmpty() ? " is empty" : ", last lines:\n" + String.join("\n", tail));
  }

  /**
   * Waits until the file contains {@code fragment}, and fails with the writer's output as soon as
   * it exits without writing it, or when the time is up.
   */
  void await(String fragment, Duration timeout, LaunchedProcess writer) {
    Process process = writer.process();
    try {
      Awaitility.await(writer + " writes '" + fragment + "'")
          .atMost(timeout)
          .pollDelay(Duration.ZERO)
          .pollInterval(POLL_INTERVAL)
          // A process has written everything once it is gone, so the file is complete then.
          .failFast(writer + " exited", () -> !process.isAlive() && !text().contains(fragment))
          .until(() -> text().contains(fragment));
    } catch (TerminalFailureException e) {
      String why = String.format("exited with code %d", process.exitValue());
      throw new AssertionError(failure(writer, fragment, why), e);
    } catch (ConditionTimeoutException e) {
      String why = String.format("ran for %d s", timeout.toSeconds());
      throw new AssertionError(failure(writer, fragment, why), e);
    }
  }

  private String failure(LaunchedProcess writer, String fragment, String why) {
    return String.format(
        "%s %s without writing '%s' to %s%n%s",
        writer, why, fragment, path.getFileName(), writer.outputTail());
  }
}
