package dev.fovea.node.session;

import dev.fovea.node.gateway.Outbox;
import dev.fovea.protocol.ErrorCode;
import dev.fovea.protocol.message.Connect;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.MailboxSelector;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Starts a session for each connection and admits or refuses its CONNECT: the realm must be the
 * node's, and the node holds at most {@code fovea.clients.max} admitted sessions. A slot frees as
 * soon as the session ends, however it ends, since the manager watches every session it started.
 */
public final class ClientManager extends AbstractBehavior<ClientManager.Command> {

  public interface Command {}

  private static final Props SESSION_MAILBOX = MailboxSelector.fromConfig("fovea-mailbox.session");

  /** A connection was accepted: start its session. */
  public record Open(String remote, Outbox outbox, ActorRef<ActorRef<Session.Command>> replyTo)
      implements Command {}

  record Admit(Connect connect, String remote, ActorRef<Session.Command> session)
      implements Command {}

  /** Asks every session to re-assert its advertisements now. */
  public enum ReassertAll implements Command {
    INSTANCE
  }

  public static Behavior<Command> create(
      String realm, int maxClients, SessionServices services, AtomicInteger admittedGauge) {
    return Behaviors.setup(
        ctx -> new ClientManager(ctx, realm, maxClients, services, admittedGauge));
  }

  private final String realm;
  private final int maxClients;
  private final SessionServices services;
  private final AtomicInteger admittedGauge;
  private final Map<ActorRef<Session.Command>, String> admitted = new HashMap<>();
  private long nextSession = 1;

  private ClientManager(
      ActorContext<Command> context,
      String realm,
      int maxClients,
      SessionServices services,
      AtomicInteger admittedGauge) {
    super(context);
    this.realm = realm;
    this.maxClients = maxClients;
    this.services = services;
    this.admittedGauge = admittedGauge;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Open.class, this::onOpen)
        .onMessage(Admit.class, this::onAdmit)
        .onMessageEquals(ReassertAll.INSTANCE, this::onReassertAll)
        .onSignal(Terminated.class, this::onSessionEnded)
        .build();
  }

  private Behavior<Command> onOpen(Open open) {
    ActorRef<Session.Command> session =
        getContext()
            .spawnAnonymous(
                Session.create(services, getContext().getSelf(), open.outbox(), open.remote()),
                SESSION_MAILBOX);
    open.replyTo().tell(session);
    return this;
  }

  private Behavior<Command> onAdmit(Admit a) {
    if (!realm.equals(a.connect().realm())) {
      a.session()
          .tell(
              new Session.Refused(
                  ErrorCode.REALM_MISMATCH,
                  "this node serves realm '" + realm + "', not '" + a.connect().realm() + "'"));
      return this;
    }
    if (admitted.size() >= maxClients) {
      a.session()
          .tell(
              new Session.Refused(
                  ErrorCode.MAX_CLIENTS,
                  "this node already serves its maximum of " + maxClients + " clients"));
      return this;
    }
    String sessionId = "s" + nextSession++;
    admitted.put(a.session(), sessionId);
    admittedGauge.set(admitted.size());
    getContext().watch(a.session());
    getContext()
        .getLog()
        .debug("admitted {} from {} as {}", a.connect().client(), a.remote(), sessionId);
    a.session().tell(new Session.Admitted(sessionId));
    return this;
  }

  private Behavior<Command> onReassertAll() {
    for (ActorRef<Session.Command> session : admitted.keySet()) {
      session.tell(Session.ReassertNow.INSTANCE);
    }
    return this;
  }

  private Behavior<Command> onSessionEnded(Terminated t) {
    if (admitted.remove(t.getRef()) != null) {
      admittedGauge.set(admitted.size());
    }
    return this;
  }
}
