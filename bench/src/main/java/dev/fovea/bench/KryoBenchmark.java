package dev.fovea.bench;

import com.typesafe.config.ConfigFactory;
import dev.fovea.sharding.interest.RemoteBatch;
import dev.fovea.sharding.serialization.KryoSerializer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A round trip (serialize, then deserialize) of a {@link RemoteBatch} of {@value #FRAMES} PUBLISH
 * frames of {@value #FRAME_BYTES} bytes, the message a publish costs per interested node:
 *
 * <ul>
 *   <li>through the cluster's own {@link KryoSerializer}, which pools its Kryo instances;
 *   <li>through a new {@code KryoSerializer} per message, so that every round trip builds a Kryo
 *       and registers every class, the cost the pool avoids (it also re-reads the registrations
 *       from the configuration, a small part of it);
 *   <li>through Java serialization of an equivalent record, with the reply-to actor as its path
 *       string: the fallback Fovea forbids. The Kryo variants resolve that path back to an actor
 *       ref when reading, which Java serialization here does not.
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class KryoBenchmark {
  static final int FRAMES = 16;
  static final int FRAME_BYTES = 128;

  private ActorSystem<Void> system;
  private Serializer pooled;
  private RemoteBatch batch;
  private JavaSerializedBatch javaBatch;

  @Setup
  public void setUp() throws NotSerializableException {
    system =
        ActorSystem.create(
            Behaviors.empty(),
            "kryo-bench",
            ConfigFactory.parseString(
                    "pekko.actor.provider = cluster\n"
                        + "pekko.remote.artery.canonical.port = 0\n"
                        + "pekko.remote.artery.canonical.hostname = 127.0.0.1\n"
                        + "pekko.loglevel = WARNING\n"
                        + "pekko.log-dead-letters = off\n")
                .withFallback(ConfigFactory.load()));
    ActorRef<RemoteBatch.Ack> replyTo =
        system.systemActorOf(Behaviors.ignore(), "batch-acks", Props.empty());

    SplittableRandom random = new SplittableRandom(42);
    List<String> topics = new ArrayList<>(FRAMES);
    List<byte[]> frames = new ArrayList<>(FRAMES);
    for (int i = 0; i < FRAMES; i++) {
      topics.add("sensor.b07.f03.r" + i + ".temp");
      byte[] frame = new byte[FRAME_BYTES];
      for (int j = 0; j < frame.length; j++) {
        frame[j] = (byte) random.nextInt(256);
      }
      frames.add(frame);
    }
    batch = new RemoteBatch(List.copyOf(topics), List.copyOf(frames), replyTo);
    javaBatch =
        new JavaSerializedBatch(
            batch.topics(),
            batch.frames(),
            ActorRefResolver.get(system).toSerializationFormat(replyTo));
    pooled = SerializationExtension.get(system).serializerFor(RemoteBatch.class);
    if (!(pooled instanceof KryoSerializer)) {
      throw new IllegalStateException("RemoteBatch is bound to " + pooled + ", not Kryo");
    }

    checkRoundTrips();
  }

  @TearDown
  public void tearDown() throws Exception {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Benchmark
  public Object pooledKryo() throws NotSerializableException {
    return pooled.fromBinary(pooled.toBinary(batch));
  }

  @Benchmark
  public Object newKryoPerMessage() throws NotSerializableException {
    Serializer fresh = new KryoSerializer((ExtendedActorSystem) Adapter.toClassic(system));
    return fresh.fromBinary(fresh.toBinary(batch));
  }

  @Benchmark
  public Object javaSerialization() {
    return javaRead(javaWrite(javaBatch));
  }

  private static byte[] javaWrite(Object message) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(message);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static Object javaRead(byte[] bytes) {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
      return in.readObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Fails the run, rather than measuring a serializer that loses data. */
  private void checkRoundTrips() throws NotSerializableException {
    RemoteBatch viaPool = (RemoteBatch) pooledKryo();
    RemoteBatch viaFresh = (RemoteBatch) newKryoPerMessage();
    JavaSerializedBatch viaJava = (JavaSerializedBatch) javaSerialization();
    for (RemoteBatch back : List.of(viaPool, viaFresh)) {
      if (!back.topics().equals(batch.topics())
          || !sameFrames(back.frames(), batch.frames())
          || !back.replyTo().equals(batch.replyTo())) {
        throw new IllegalStateException("Kryo did not round-trip " + batch);
      }
    }
    if (!viaJava.topics().equals(batch.topics()) || !sameFrames(viaJava.frames(), batch.frames())) {
      throw new IllegalStateException("Java serialization did not round-trip " + javaBatch);
    }
    System.out.printf(
        "# %d frames of %d bytes: %d bytes with Kryo, %d bytes with Java serialization%n",
        FRAMES, FRAME_BYTES, pooled.toBinary(batch).length, javaWrite(javaBatch).length);
  }

  private static boolean sameFrames(List<byte[]> a, List<byte[]> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!Arrays.equals(a.get(i), b.get(i))) {
        return false;
      }
    }
    return true;
  }

  /** {@link RemoteBatch} as a Java-serializable record, its actor ref as a path string. */
  record JavaSerializedBatch(List<String> topics, List<byte[]> frames, String replyTo)
      implements Serializable {}
}
