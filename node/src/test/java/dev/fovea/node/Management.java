package dev.fovea.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

/**
 * Real HTTP requests to a node's management endpoint, as an operator's tools would make them, and
 * readers for the JSON and the Prometheus text it answers with.
 */
public final class Management {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;

  public Management(URI base) {
    this.base = base;
  }

  public static Management of(TestNode node) {
    return new Management(node.managementUri());
  }

  /** One answer: its status, content type and body. */
  public record Response(int status, String contentType, String body) {
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }
  }

  /** GET {@code path}, relative to the management root, such as {@code "view/sessions"}. */
  public Response get(String path) {
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("/" + path)).timeout(Duration.ofSeconds(10)).build();
    try {
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      String type = response.headers().firstValue("Content-Type").orElse("");
      return new Response(response.statusCode(), type, response.body());
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during GET " + path, e);
    }
  }

  /** The body of a JSON view, which must answer 200. */
  public JsonNode json(String path) {
    Response response = get(path);
    if (response.status() != 200) {
      throw new IllegalStateException("GET " + path + " answered " + response);
    }
    return response.json();
  }

  /** The session of {@code /view/sessions} whose client name is {@code client}, or null. */
  public JsonNode session(String client) {
    return StreamSupport.stream(json("view/sessions").spliterator(), false)
        .filter(s -> s.path("client").asText().equals(client))
        .findFirst()
        .orElse(null);
  }

  /** A scrape of {@code /metrics}. */
  public Scrape metrics() {
    Response response = get("metrics");
    if (response.status() != 200) {
      throw new IllegalStateException("GET metrics answered " + response);
    }
    return Scrape.parse(response.body());
  }

  /** The samples of one scrape of the Prometheus text format. */
  public static final class Scrape {
    private record Sample(String name, Map<String, String> labels, double value) {}

    private final List<Sample> samples;
    private final String text;

    private Scrape(List<Sample> samples, String text) {
      this.samples = samples;
      this.text = text;
    }

    static Scrape parse(String text) {
      List<Sample> samples = new ArrayList<>();
      for (String line : text.split("\n")) {
        if (!line.isBlank() && !line.startsWith("#")) {
          samples.add(sample(line.trim()));
        }
      }
      return new Scrape(samples, text);
    }

    private static Sample sample(String line) {
      int brace = line.indexOf('{');
      int space = line.lastIndexOf(' ');
      Map<String, String> labels = new HashMap<>();
      String name;
      if (brace >= 0 && brace < space) {
        name = line.substring(0, brace);
        int close = line.lastIndexOf('}');
        for (String pair : line.substring(brace + 1, close).split("\",")) {
          if (pair.isBlank()) {
            continue;
          }
          int eq = pair.indexOf('=');
          labels.put(pair.substring(0, eq), pair.substring(eq + 1).replace("\"", ""));
        }
      } else {
        name = line.substring(0, space);
      }
      String value = line.substring(space + 1);
      double v =
          switch (value) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(value);
          };
      return new Sample(name, labels, v);
    }

    /**
     * The sum of the samples named {@code name} that carry every label given as {@code key, value}
     * pairs; 0 when there is none, as for a counter that has not counted yet.
     */
    public double value(String name, String... labels) {
      return matching(name, labels).stream().mapToDouble(Sample::value).sum();
    }

    /** Whether any sample named {@code name} carries the labels. */
    public boolean has(String name, String... labels) {
      return !matching(name, labels).isEmpty();
    }

    private List<Sample> matching(String name, String... labels) {
      List<Sample> found = new ArrayList<>();
      for (Sample s : samples) {
        if (!s.name().equals(name)) {
          continue;
        }
        boolean all = true;
        for (int i = 0; i < labels.length; i += 2) {
          all &= labels[i + 1].equals(s.labels().get(labels[i]));
        }
        if (all) {
          found.add(s);
        }
      }
      return found;
    }

    @Override
    public String toString() {
      return text;
    }
  }
}
