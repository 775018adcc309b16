package dev.fovea.client;

import dev.fovea.protocol.ErrorCode;
import dev.fovea.protocol.message.Advertise;
import dev.fovea.protocol.message.Invoke;
import dev.fovea.protocol.message.Message;
import dev.fovea.protocol.message.Result;
import dev.fovea.protocol.message.Unadvertise;
import java.lang.System.Logger.Level;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The procedures this client provides. The reader hands each INVOKE here; the handler runs on the
 * executor, invocations concurrently, and its result or exception is answered as RESULT.
 */
final class Providers {
  private static final System.Logger LOG = System.getLogger(FoveaClient.class.getName());

  private final ConcurrentHashMap<String, Provider> byProcedure = new ConcurrentHashMap<>();
  private final Consumer<Message> sender;
  private final BiConsumer<Invoke, Result> answerer;
  private final Executor executor;
  private final LogThrottle castFailureLog = new LogThrottle();
  private volatile boolean open = true;

  /**
   * @param sender sends ADVERTISE and UNADVERTISE, throwing when the client is closed
   * @param answerer sends the RESULT of an invocation that expects one
   */
  Providers(Consumer<Message> sender, BiConsumer<Invoke, Result> answerer, Executor executor) {
    this.sender = sender;
    this.answerer = answerer;
    this.executor = executor;
  }

  /**
   * Registers a provider of an already validated procedure. Locked, with {@link
   * Provider#unadvertise()}, so that ADVERTISE and UNADVERTISE of one procedure leave in the order
   * in which the registrations changed.
   */
  synchronized Advertisement add(String procedure, long ttlMs, ProcedureHandler handler) {
    Provider provider = new Provider(procedure, handler);
    if (byProcedure.putIfAbsent(procedure, provider) != null) {
      throw new IllegalStateException("procedure " + procedure + " is already advertised");
    }
    try {
      sender.accept(new Advertise(procedure, ttlMs));
    } catch (RuntimeException e) {
      byProcedure.remove(procedure, provider);
      throw e;
    }
    return provider;
  }

  /** Runs an invocation on the executor; called by the reader, never blocks. */
  void invoke(Invoke invoke) {
    Provider provider = byProcedure.get(invoke.procedure());
    if (provider == null) {
      // The UNADVERTISE crossed this INVOKE on the wire.
      answerer.accept(
          invoke,
          Result.error(
              invoke.invocationId(),
              ErrorCode.HANDLER_ERROR,
              "this client no longer provides " + invoke.procedure()));
      return;
    }
    try {
      executor.execute(() -> provider.run(invoke));
    } catch (RejectedExecutionException e) {
      answerer.accept(
          invoke,
          Result.error(invoke.invocationId(), ErrorCode.HANDLER_ERROR, "the provider is closing"));
    }
  }

  /** Marks every provider withdrawn: the closed connection took the registrations with it. */
  void close() {
    open = false;
  }

  private static String reasonOf(Exception e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getName() : message;
  }

  private final class Provider implements Advertisement {
    private final String procedure;
    private final ProcedureHandler handler;
    private volatile boolean active = true;

    Provider(String procedure, ProcedureHandler handler) {
      this.procedure = procedure;
      this.handler = handler;
    }

    @Override
    public String procedure() {
      return procedure;
    }

    @Override
    public boolean isActive() {
      return active && open;
    }

    @Override
    public void unadvertise() {
      synchronized (Providers.this) {
        if (!active) {
          return;
        }
        active = false;
        byProcedure.remove(procedure, this);
        if (!open) {
          return;
        }
        try {
          sender.accept(new Unadvertise(procedure));
        } catch (FoveaException e) {
          // A closed connection took the registration with it; only an interrupt is news.
          if (FoveaException.INTERRUPTED.equals(e.code())) {
            throw e;
          }
        }
      }
    }

    void run(Invoke invoke) {
      Result result;
      try {
        byte[] payload =
            handler.handle(
                new Invocation(invoke.procedure(), invoke.payload(), invoke.expectsResult()));
        result = Result.ok(invoke.invocationId(), payload);
      } catch (Exception e) {
        result = Result.error(invoke.invocationId(), ErrorCode.HANDLER_ERROR, reasonOf(e));
        if (!invoke.expectsResult() && open) {
          long held = castFailureLog.acquire();
          if (held >= 0) {
            LOG.log(
                Level.WARNING,
                () ->
                    "the handler of "
                        + procedure
                        + " failed on a cast"
                        + LogThrottle.heldBack(held),
                e);
          }
        }
      }
      answerer.accept(invoke, result);
    }

    @Override
    public String toString() {
      return "Advertisement[" + procedure + (active ? "" : ", withdrawn") + "]";
    }
  }
}
