package dev.fovea.node.cli;

import dev.fovea.client.FoveaClient;
import dev.fovea.client.FoveaException;
import dev.fovea.protocol.ProtocolException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The options the client commands share, where the node is and which realm to join, and what they
 * do alike: report an error as {@code error CODE: reason}, and run until Ctrl-C.
 */
final class ConnectionOptions {
  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Address of the node (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--port",
      defaultValue = "${env:GATEWAY_PORT:-9443}",
      description = "Gateway port of the node (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--realm",
      defaultValue = "${env:GATEWAY_REALM:-" + FoveaClient.DEFAULT_REALM + "}",
      description = "Realm to join (default: ${DEFAULT-VALUE}).")
  String realm;

  @Option(names = "--token", description = "Credentials, for a node that requires them.")
  String token;

  /** Connects, naming the client after the command so that operators can tell who it is. */
  FoveaClient connect(String command) {
    return FoveaClient.builder(host, port)
        .realm(realm)
        .clientName("fovea-" + command)
        .token(token)
        .connect();
  }

  /**
   * Blocks until the client closes. Ctrl-C or SIGTERM runs a shutdown hook that closes it, which is
   * a clean stop: exit code 0. A connection the node ended is reported: exit code 1.
   */
  static int runUntilStopped(FoveaClient client, PrintWriter err) {
    CountDownLatch closed = new CountDownLatch(1);
    AtomicReference<FoveaException> why = new AtomicReference<>();
    client.onClose(
        cause -> {
          why.set(cause);
          closed.countDown();
        });
    Thread hook = new Thread(client::close, "fovea-cli-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      closed.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      client.close();
    }

    FoveaException cause = why.get();
    if (cause == null || FoveaException.CLIENT_CLOSED.equals(cause.code())) {
      return 0;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down; the hook is harmless on a closed client.
    }
    return fail(err, cause);
  }

  /**
   * Waits for a future of the client, at most {@code timeout}, and rethrows its failure as it is.
   */
  static <T> T await(CompletableFuture<T> future, Duration timeout, String what) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      throw new FoveaException("internal", what + " failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new FoveaException(
          FoveaException.TIMEOUT, "no " + what + " within " + timeout.toMillis() + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FoveaException(FoveaException.INTERRUPTED, "interrupted waiting for " + what);
    }
  }

  /** Prints {@code error CODE: reason} to stderr and returns the exit code for a failure, 1. */
  static int fail(PrintWriter err, RuntimeException failure) {
    if (failure instanceof FoveaException e) {
      err.println("error " + e.code() + ": " + e.reason());
    } else if (failure instanceof ProtocolException e) {
      err.println("error " + e.code().code() + ": " + e.reason());
    } else {
      err.println("error: " + failure.getMessage());
    }
    err.flush();
    return 1;
  }

  /**
   * Reads a duration as {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}, or ISO-8601 {@code
   * PT5S}.
   */
  static final class DurationConverter implements ITypeConverter<Duration> {
    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

    @Override
    public Duration convert(String value) {
      Duration duration = parse(value.trim());
      if (duration.isNegative() || duration.isZero()) {
        throw new TypeConversionException("'" + value + "' is not a positive duration");
      }
      return duration;
    }

    private static Duration parse(String value) {
      Matcher m = SHORT.matcher(value.toLowerCase(Locale.ROOT));
      if (m.matches()) {
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
          case "ms" -> Duration.ofMillis(amount);
          case "m" -> Duration.ofMinutes(amount);
          case "h" -> Duration.ofHours(amount);
          default -> Duration.ofSeconds(amount);
        };
      }
      try {
        return Duration.parse(value);
      } catch (DateTimeParseException e) {
        throw new TypeConversionException(
            "'" + value + "' is not a duration such as 500ms, 5s, 2m or PT5S");
      }
    }
  }
}
