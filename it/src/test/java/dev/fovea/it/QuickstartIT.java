package dev.fovea.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The README's quickstart, command for command, through the {@code ./fovea} script. Each command is
 * written here as the README writes it, quoting included, and the test fails when the README no
 * longer has it, so that the two cannot drift apart.
 */
@Timeout(180)
class QuickstartIT {
  /** A client command starts a JVM, connects and is done; a loaded machine may take a while. */
  private static final Duration STEP = Duration.ofSeconds(30);

  private static String readme;

  @RegisterExtension final LaunchedProcesses launched = new LaunchedProcesses();

  private final int gatewayPort = FreePorts.next();

  /** What the README's terminals have. */
  private final Map<String, String> terminal = terminalEnvironment(gatewayPort, FreePorts.next());

  @BeforeAll
  static void jarIsCurrent() throws IOException {
    FoveaBuild.requireCurrentJar();
    readme = Files.readString(FoveaBuild.home().resolve("README.md"));
  }

  @Test
  void quickstartWorksAsWritten() throws Exception {
    FoveaCommand node = type("node", "./fovea node");
    node.awaitStderr(
        "serves realm macula.default on /127.0.0.1:" + gatewayPort, NodeProcess.START_TIMEOUT);

    FoveaCommand sub = type("sub", "./fovea sub 'sensor.**'");
    sub.awaitStderr("subscribed to sensor.**", STEP);
    FoveaCommand pub = type("pub", "./fovea pub sensor.kitchen.temp 21");
    assertThat(pub.awaitExit(STEP)).as("exit code of pub\n%s", pub.outputTail()).isZero();
    assertThat(pub.stdout()).isEmpty();
    sub.awaitStdout("sensor.kitchen.temp 21", STEP);
    sub.stop();
    assertThat(sub.stdout().lines()).containsExactly("sensor.kitchen.temp 21");

    FoveaCommand serve = type("serve", "./fovea serve greet --exec 'sed s/^/hello,\\ /'");
    serve.awaitStderr("serving greet", STEP);
    FoveaCommand greet = type("call-greet", "./fovea call greet world");
    assertThat(greet.awaitExit(STEP)).as("exit code of call\n%s", greet.outputTail()).isZero();
    assertThat(greet.stdout().lines()).containsExactly("hello, world");

    FoveaCommand info = type("call-info", "./fovea call fovea.diagnostics.info");
    assertThat(info.awaitExit(STEP)).as("exit code of call\n%s", info.outputTail()).isZero();
    assertThat(info.stdout()).startsWith("{").contains("\"realm\":\"macula.default\"");
    serve.stop();

    assertThat(node.stop())
        .as("exit code of node\n%s", node.outputTail())
        .isEqualTo(LaunchedProcess.EXIT_ON_SIGTERM);
    assertThat(node.stderr()).contains(NodeProcess.STOPS_ACCEPTING);
  }

  /**
   * Only the ports differ from the defaults, so that the test runs beside a node on 9443 and beside
   * other tests. Should a source change while the test runs, the script's rebuild fails at once
   * with a message that says so.
   */
  private static Map<String, String> terminalEnvironment(int gatewayPort, int clusterPort) {
    Map<String, String> environment = new HashMap<>();
    environment.put("GATEWAY_PORT", Integer.toString(gatewayPort));
    environment.put("CLUSTER_PORT", Integer.toString(clusterPort));
    environment.put("HEALTH_PORT", Integer.toString(FreePorts.next()));
    environment.put("FOVEA_JAVA_OPTS", String.join(" ", NodeProcess.JVM_OPTIONS));
    environment.put(
        "PATH", FoveaBuild.refusingMaven() + File.pathSeparator + System.getenv("PATH"));
    return environment;
  }

  /** Runs a command line of the README, after checking that the README has it. */
  private FoveaCommand type(String name, String commandLine) {
    assertThat(readme).as("README.md has the command").contains(commandLine);
    List<String> words = shellWords(commandLine);
    assertThat(words.get(0)).isEqualTo("./fovea");
    return launched.fovea(name, terminal, words.subList(1, words.size()));
  }

  /**
   * Splits a command line into words as a shell does, for the quoting the README uses: spaces
   * between words, single quotes around a word kept as it is.
   */
  private static List<String> shellWords(String commandLine) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean quoted = false;
    boolean inWord = false;
    for (char c : commandLine.toCharArray()) {
      if (c == '\'') {
        quoted = !quoted;
        inWord = true;
      } else if (c == ' ' && !quoted) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else if (!quoted && "\"\\$`*?".indexOf(c) >= 0) {
        throw new IllegalArgumentException(
            "only single quotes are supported, not " + c + " in: " + commandLine);
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (quoted) {
      throw new IllegalArgumentException("unbalanced single quote in: " + commandLine);
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }
}
