package dev.fovea.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fovea leave}: asks a running node, through its management endpoint, to leave the cluster
 * gracefully: it hands its shards off and stops, and no registration of the nodes that stay is
 * lost. The same as sending it SIGTERM, for a node on another host or in a container.
 */
@Command(
    name = "leave",
    mixinStandardHelpOptions = true,
    description = "Make a running node leave the cluster gracefully and stop.")
final class LeaveCommand implements Callable<Integer> {
  @Option(
      names = "--management-host",
      defaultValue = "127.0.0.1",
      description = "Management address of the node (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--management-port",
      defaultValue = "${env:HEALTH_PORT:-8080}",
      description = "Management port of the node (default: ${DEFAULT-VALUE}).")
  int port;

  @Override
  public Integer call() throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    URI base = URI.create("http://" + host + ":" + port + "/cluster/members/");
    HttpResponse<String> members =
        http.send(HttpRequest.newBuilder(base).GET().build(), HttpResponse.BodyHandlers.ofString());
    if (members.statusCode() != 200) {
      System.err.println("error: the node answered " + members.statusCode() + " to " + base);
      return 1;
    }
    JsonNode self = new ObjectMapper().readTree(members.body()).get("selfNode");
    String address = self.asText();
    HttpResponse<String> leave =
        http.send(
            HttpRequest.newBuilder(base.resolve(URLEncoder.encode(address, StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .PUT(HttpRequest.BodyPublishers.ofString("operation=Leave"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (leave.statusCode() / 100 != 2) {
      System.err.println("error: leave refused (" + leave.statusCode() + "): " + leave.body());
      return 1;
    }
    System.err.println(address + " is leaving the cluster");
    return 0;
  }
}
