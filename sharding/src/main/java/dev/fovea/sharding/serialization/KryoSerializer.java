package dev.fovea.sharding.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.ImmutableCollectionsSerializers;
import com.esotericsoftware.kryo.util.Pool;
import com.typesafe.config.ConfigValue;
import dev.fovea.sharding.interest.RemoteBatch;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.JSerializer;

/**
 * The serializer of every {@code ClusterMessage}. Kryo is fast and compact, but only safe between
 * nodes that agree on what a class id means: registration is required, every class is listed with a
 * fixed id under {@code fovea.kryo.registrations}, and a class not listed fails to serialize rather
 * than writing its name on the wire.
 *
 * <p>A Kryo instance is not thread-safe and is costly to build (a new one per message is some forty
 * times slower), so instances are pooled.
 */
public final class KryoSerializer extends JSerializer {
  /** Fovea's serializer id; Pekko reserves 0 to 40. */
  public static final int IDENTIFIER = 7_301;

  private static final int BUFFER_BYTES = 4 * 1024;
  private static final int MAX_BUFFER_BYTES = 64 * 1024 * 1024;

  private final ExtendedActorSystem system;
  private final List<Map.Entry<Class<?>, Integer>> registrations;
  private final Pool<Kryo> kryos;
  private final Pool<Output> outputs;

  public KryoSerializer(ExtendedActorSystem system) {
    this.system = system;
    this.registrations = readRegistrations(system);
    this.kryos =
        new Pool<>(true, false, 64) {
          @Override
          protected Kryo create() {
            return newKryo();
          }
        };
    this.outputs =
        new Pool<>(true, false, 64) {
          @Override
          protected Output create() {
            return new Output(BUFFER_BYTES, MAX_BUFFER_BYTES);
          }
        };
  }

  @Override
  public int identifier() {
    return IDENTIFIER;
  }

  @Override
  public boolean includeManifest() {
    return false;
  }

  @Override
  public byte[] toBinary(Object message) {
    Kryo kryo = kryos.obtain();
    Output output = outputs.obtain();
    try {
      output.reset();
      kryo.writeClassAndObject(output, message);
      return output.toBytes();
    } finally {
      outputs.free(output);
      kryos.free(kryo);
    }
  }

  @Override
  public Object fromBinaryJava(byte[] bytes, Class<?> manifest) {
    Kryo kryo = kryos.obtain();
    try {
      return kryo.readClassAndObject(new Input(bytes));
    } finally {
      kryos.free(kryo);
    }
  }

  private Kryo newKryo() {
    Kryo kryo = new Kryo();
    kryo.setRegistrationRequired(true);
    kryo.setReferences(false);
    // Ids below 100 are for the JDK types messages use; Fovea's own start at 100.
    kryo.register(byte[].class, 20);
    kryo.register(String[].class, 21);
    kryo.register(ArrayList.class, 22);
    kryo.register(java.util.HashSet.class, 23);
    kryo.register(java.util.HashMap.class, 24);
    kryo.register(java.util.UUID.class, new UuidSerializer(), 25);
    ActorRefSerializer refs = new ActorRefSerializer(ActorRefResolver.get(Adapter.toTyped(system)));
    kryo.addDefaultSerializer(org.apache.pekko.actor.typed.ActorRef.class, refs);
    kryo.register(org.apache.pekko.actor.typed.internal.adapter.ActorRefAdapter.class, refs, 26);
    ImmutableCollectionsSerializers.addDefaultSerializers(kryo);
    registerImmutableCollections(kryo);
    // Messages on a hot path get a serializer of their own; the rest Kryo's generic one.
    Map<Class<?>, Serializer<?>> own = Map.of(RemoteBatch.class, new RemoteBatchSerializer(refs));
    for (Map.Entry<Class<?>, Integer> r : registrations) {
      Serializer<?> serializer = own.get(r.getKey());
      if (serializer != null) {
        kryo.register(r.getKey(), serializer, r.getValue());
      } else {
        kryo.register(r.getKey(), r.getValue());
      }
    }
    return kryo;
  }

  /** The JDK's List.of, Set.of and Map.of classes, each under a fixed id. */
  private static void registerImmutableCollections(Kryo kryo) {
    int id = 40;
    for (Object sample :
        new Object[] {
          List.of(),
          List.of(1),
          List.of(1, 2, 3),
          java.util.Set.of(),
          java.util.Set.of(1),
          java.util.Set.of(1, 2, 3),
          Map.of(),
          Map.of(1, 1),
          Map.of(1, 1, 2, 2)
        }) {
      if (kryo.getClassResolver().getRegistration(sample.getClass()) == null) {
        kryo.register(sample.getClass(), id);
      }
      id++;
    }
  }

  private static List<Map.Entry<Class<?>, Integer>> readRegistrations(ExtendedActorSystem system) {
    List<Map.Entry<Class<?>, Integer>> result = new ArrayList<>();
    for (Map.Entry<String, ConfigValue> e :
        system.settings().config().getObject("fovea.kryo.registrations").entrySet()) {
      int id = ((Number) e.getValue().unwrapped()).intValue();
      if (id < 100) {
        throw new IllegalArgumentException(
            "fovea.kryo.registrations: id " + id + " of " + e.getKey() + " is below 100");
      }
      try {
        result.add(
            Map.entry(Class.forName(e.getKey(), false, system.dynamicAccess().classLoader()), id));
      } catch (ClassNotFoundException ex) {
        throw new IllegalArgumentException(
            "fovea.kryo.registrations names " + e.getKey() + ", which is not on the class path",
            ex);
      }
    }
    result.sort(Comparator.comparing(Map.Entry::getValue));
    return result;
  }
}
