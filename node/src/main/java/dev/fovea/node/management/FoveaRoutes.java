package dev.fovea.node.management;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fovea.node.metrics.NodeHealth;
import dev.fovea.node.session.SessionView;
import dev.fovea.sharding.registry.ServiceEntity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.ExtensionIdProvider;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.management.HealthCheckSettings;
import org.apache.pekko.management.javadsl.HealthChecks;
import org.apache.pekko.management.javadsl.ManagementRouteProvider;
import org.apache.pekko.management.javadsl.ManagementRouteProviderSettings;

/**
 * Fovea's management routes, beside Pekko's cluster routes and {@code /live} and {@code /ready}:
 *
 * <ul>
 *   <li>{@code /health}: JSON with the status, uptime, sessions, cluster members and every degraded
 *       check with its reason; 200 when healthy, 503 when degraded;
 *   <li>{@code /metrics}: every metric in Prometheus text format;
 *   <li>{@code /view/sessions}, {@code /view/topics}, {@code /view/procedures}: read-only JSON for
 *       people.
 * </ul>
 */
public final class FoveaRoutes extends AbstractExtensionId<FoveaRoutes.Provider>
    implements ExtensionIdProvider {
  private static final FoveaRoutes ID = new FoveaRoutes();
  private static final Duration VIEW_TIMEOUT = Duration.ofSeconds(3);
  private static final ContentType.NonBinary PROMETHEUS_TEXT = ContentTypes.TEXT_PLAIN_UTF8;

  @Override
  public FoveaRoutes lookup() {
    return ID;
  }

  @Override
  public Provider createExtension(ExtendedActorSystem system) {
    return new Provider(system);
  }

  /** The routes, built once per actor system. */
  public static final class Provider extends AllDirectives implements ManagementRouteProvider {
    private final ActorSystem<?> system;
    private final HealthChecks readiness;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    Provider(ExtendedActorSystem classic) {
      this.system = Adapter.toTyped(classic);
      this.readiness =
          new HealthChecks(
              classic,
              HealthCheckSettings.create(
                  system.settings().config().getConfig("pekko.management.health-checks")));
    }

    @Override
    public Route routes(ManagementRouteProviderSettings settings) {
      return get(
          () ->
              concat(
                  path("ready", this::ready),
                  path("health", this::health),
                  path("metrics", this::metrics),
                  pathPrefix(
                      "view",
                      () ->
                          concat(
                              path("sessions", this::sessions),
                              path("topics", this::topics),
                              path("procedures", () -> onSuccess(procedures(), this::ok))))));
    }

    /**
     * Pekko's readiness checks (the cluster membership and the gateway's), answered with 503 while
     * one fails, as load balancers and orchestrators expect; Pekko's own route answers 500.
     */
    private Route ready() {
      return onSuccess(
          readiness.readyResult(),
          result ->
              result.isSuccess()
                  ? complete(StatusCodes.OK, "OK")
                  : complete(
                      StatusCodes.SERVICE_UNAVAILABLE,
                      "Not Healthy: " + result.failure().orElse("a readiness check failed")));
    }

    private NodeHandle.Parts parts() {
      return NodeHandle.get(system).parts();
    }

    private Route health() {
      NodeHandle.Parts p = parts();
      if (p == null) {
        return complete(StatusCodes.SERVICE_UNAVAILABLE, "starting");
      }
      NodeHealth health = p.health();
      ObjectNode body = json.createObjectNode();
      body.put("status", health.isHealthy() ? "ok" : "degraded");
      body.put("node", p.nodeId());
      body.put("realm", p.settings().realm());
      body.put("uptime_ms", Duration.between(p.startedAt(), Instant.now()).toMillis());
      body.put("sessions", p.sessions().size());
      body.put("cluster_members", p.clusterMembers().getAsInt());
      body.put("gateway_listening", NodeHandle.get(system).isGatewayListening());
      ArrayNode degraded = body.putArray("degraded");
      for (Map.Entry<String, List<String>> check : new TreeMap<>(health.degraded()).entrySet()) {
        for (String reason : check.getValue()) {
          degraded.addObject().put("check", check.getKey()).put("reason", reason);
        }
      }
      return complete(
          HttpResponse.create()
              .withStatus(health.isHealthy() ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE)
              .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, write(body))));
    }

    private Route metrics() {
      NodeHandle.Parts p = parts();
      if (p == null) {
        return complete(StatusCodes.SERVICE_UNAVAILABLE, "starting");
      }
      return complete(
          HttpResponse.create()
              .withEntity(HttpEntities.create(PROMETHEUS_TEXT, p.metrics().scrape())));
    }

    private Route sessions() {
      NodeHandle.Parts p = parts();
      ArrayNode list = json.createArrayNode();
      if (p != null) {
        for (SessionView s : p.sessions().all()) {
          ObjectNode o = list.addObject();
          o.put("session", s.sessionId());
          o.put("client", s.client());
          o.put("realm", s.realm());
          o.put("remote", s.remote());
          o.put("queue_depth", s.queueDepth());
          o.put("queued_bytes", s.queuedBytes());
          o.put("dropped", s.dropped());
          o.put("pending_calls", s.pendingCalls());
          s.subscriptions().stream().sorted().forEach(o.putArray("subscriptions")::add);
          s.advertisements().stream().sorted().forEach(o.putArray("advertisements")::add);
        }
      }
      return ok(list);
    }

    private Route topics() {
      NodeHandle.Parts p = parts();
      ArrayNode list = json.createArrayNode();
      if (p != null) {
        new TreeMap<>(p.subscriptions().sessionsByPattern())
            .forEach((pattern, n) -> list.addObject().put("pattern", pattern).put("sessions", n));
      }
      return ok(list);
    }

    /**
     * The procedures this node knows of (advertised by its sessions, or called through it), each
     * with its providers and their expiry as the registry holds them.
     */
    private CompletionStage<ArrayNode> procedures() {
      NodeHandle.Parts p = parts();
      if (p == null) {
        return CompletableFuture.completedFuture(json.createArrayNode());
      }
      TreeSet<String> names = new TreeSet<>(p.directory().cachedProcedures());
      p.sessions().all().forEach(s -> names.addAll(s.advertisements()));
      ClusterSharding sharding = ClusterSharding.get(system);
      List<CompletableFuture<ServiceEntity.ProviderList>> asks = new ArrayList<>();
      for (String name : names) {
        asks.add(
            sharding
                .entityRefFor(ServiceEntity.ENTITY_TYPE_KEY, name)
                .<ServiceEntity.ProviderList>ask(ServiceEntity.ListProviders::new, VIEW_TIMEOUT)
                .toCompletableFuture()
                .exceptionally(e -> new ServiceEntity.ProviderList(name, List.of())));
      }
      return CompletableFuture.allOf(asks.toArray(new CompletableFuture<?>[0]))
          .thenApply(
              done -> {
                ArrayNode list = json.createArrayNode();
                for (CompletableFuture<ServiceEntity.ProviderList> ask : asks) {
                  ServiceEntity.ProviderList pl = ask.join();
                  ObjectNode o = list.addObject();
                  o.put("procedure", pl.procedure());
                  ArrayNode providers = o.putArray("providers");
                  for (ServiceEntity.ProviderView v : pl.providers()) {
                    providers
                        .addObject()
                        .put("provider", v.providerId())
                        .put("node", v.nodeId())
                        .put("expires_at", Instant.ofEpochMilli(v.expiresAtMillis()).toString());
                  }
                }
                return list;
              });
    }

    private Route ok(Object body) {
      return complete(
          HttpResponse.create()
              .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, write(body))));
    }

    private String write(Object body) {
      try {
        return json.writeValueAsString(body);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException("a JSON tree always serializes", e);
      }
    }
  }
}
