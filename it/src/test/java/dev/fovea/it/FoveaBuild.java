package dev.fovea.it;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where the repository and the node's jar are, as the build tells the tests through the system
 * properties {@code fovea.home} and {@code fovea.jar}.
 */
final class FoveaBuild {
  /** The modules the jar is built from: the {@code ./fovea} script rebuilds it when they change. */
  private static final List<String> JAR_MODULES = List.of("protocol", "client", "sharding", "node");

  private static final String REBUILD =
      "mvn -pl node -am install -DskipTests -Dspotless.check.skip=true";

  private FoveaBuild() {}

  /** The repository root, where {@code ./fovea} and README.md are. */
  static Path home() {
    return Path.of(property("fovea.home")).toAbsolutePath().normalize();
  }

  /** {@code node/target/fovea.jar}; fails the test when it has not been built. */
  static Path jar() {
    Path jar = Path.of(property("fovea.jar")).toAbsolutePath().normalize();
    if (!Files.isRegularFile(jar)) {
      fail("%s does not exist: build it first with %s", jar, REBUILD);
    }
    return jar;
  }

  /** Where processes started by tests write their output: {@code it/target/node-logs}. */
  static Path logDirectory() {
    return home().resolve("it").resolve("target").resolve("node-logs");
  }

  /**
   * Fails unless the jar is newer than everything the {@code ./fovea} script compares it with. The
   * script would otherwise run Maven in the middle of a test, which takes a minute, replaces the
   * jar under running nodes, and tests the build rather than the product.
   */
  static void requireCurrentJar() {
    Path jar = jar();
    FileTime built = modified(jar).orElseThrow();
    Optional<Path> newer =
        scriptInputs()
            .filter(path -> modified(path).filter(time -> time.compareTo(built) > 0).isPresent())
            .findFirst();
    if (newer.isPresent()) {
      fail(
          "%s is older than %s, so ./fovea would rebuild it during the test; rebuild it first"
              + " with %s",
          jar, home().relativize(newer.get()), REBUILD);
    }
  }

  /**
   * A directory holding an {@code mvn} that only fails, with a message that says why. Put first on
   * the PATH of {@code ./fovea}, it turns a rebuild the script starts because a source changed
   * during the test into a failed command, instead of a minute of Maven.
   */
  static Path refusingMaven() {
    Path directory = home().resolve("it").resolve("target").resolve("no-rebuild-bin");
    Path mvn = directory.resolve("mvn");
    try {
      Files.createDirectories(directory);
      Files.writeString(
          mvn,
          "#!/bin/sh\n"
              + "echo 'a source file is newer than node/target/fovea.jar, so ./fovea tried to"
              + " rebuild it during the test; rebuild it first with "
              + REBUILD
              + "' >&2\n"
              + "exit 1\n");
      Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + mvn, e);
    }
    return directory;
  }

  /**
   * What {@code find ... -newer fovea.jar} in the script looks at: each jar module's src tree,
   * directories included, and the poms.
   */
  private static Stream<Path> scriptInputs() {
    Path home = home();
    List<Path> inputs = new ArrayList<>();
    inputs.add(home.resolve("pom.xml"));
    for (String module : JAR_MODULES) {
      inputs.add(home.resolve(module).resolve("pom.xml"));
      Path sources = home.resolve(module).resolve("src");
      if (Files.isDirectory(sources)) {
        try (Stream<Path> tree = Files.walk(sources)) {
          tree.forEach(inputs::add);
        } catch (IOException | UncheckedIOException e) {
          fail("cannot list %s: %s", sources, e);
        }
      }
    }
    return inputs.stream();
  }

  /** Empty when the file does not exist, or no longer does: someone may be editing the tree. */
  private static Optional<FileTime> modified(Path path) {
    try {
      return Optional.of(Files.getLastModifiedTime(path));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the modification time of " + path, e);
    }
  }

  private static String property(String name) {
    String value = System.getProperty(name);
    if (value == null || value.isBlank()) {
      fail("system property %s is not set: run the integration tests through Maven", name);
    }
    return value;
  }
}
