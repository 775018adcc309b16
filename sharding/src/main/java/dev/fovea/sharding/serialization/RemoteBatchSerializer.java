package dev.fovea.sharding.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.fovea.sharding.interest.RemoteBatch;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Writes a {@link RemoteBatch}, the one message that crosses nodes once per few hundred publishes,
 * as its count, then each topic and frame as a length and its bytes, then the ref to acknowledge.
 * Kryo's generic path would write a class id and go through a collection serializer for every
 * element of both lists; a profile of a node forwarding publishes put that, and Kryo's character
 * loop over each topic, at the top of the remote dispatcher. Topics go as UTF-8, which for the
 * ASCII names topics are is a plain copy of the string's bytes.
 */
final class RemoteBatchSerializer extends Serializer<RemoteBatch> {
  private final ActorRefSerializer refs;

  RemoteBatchSerializer(ActorRefSerializer refs) {
    this.refs = refs;
    setImmutable(true);
  }

  @Override
  public void write(Kryo kryo, Output output, RemoteBatch batch) {
    List<String> topics = batch.topics();
    List<byte[]> frames = batch.frames();
    int count = topics.size();
    if (frames.size() != count) {
      throw new IllegalArgumentException(
          "a batch of " + count + " topics carries " + frames.size() + " frames");
    }
    output.writeVarInt(count, true);
    for (int i = 0; i < count; i++) {
      writeBytes(output, topics.get(i).getBytes(StandardCharsets.UTF_8));
      writeBytes(output, frames.get(i));
    }
    refs.write(kryo, output, batch.replyTo());
  }

  @Override
  @SuppressWarnings("unchecked")
  public RemoteBatch read(Kryo kryo, Input input, Class<? extends RemoteBatch> type) {
    int count = input.readVarInt(true);
    List<String> topics = new ArrayList<>(count);
    List<byte[]> frames = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      topics.add(new String(readBytes(input), StandardCharsets.UTF_8));
      frames.add(readBytes(input));
    }
    ActorRef<RemoteBatch.Ack> replyTo =
        (ActorRef<RemoteBatch.Ack>) refs.read(kryo, input, (Class) ActorRef.class);
    return new RemoteBatch(topics, frames, replyTo);
  }

  private static void writeBytes(Output output, byte[] bytes) {
    output.writeVarInt(bytes.length, true);
    output.writeBytes(bytes);
  }

  private static byte[] readBytes(Input input) {
    return input.readBytes(input.readVarInt(true));
  }
}
