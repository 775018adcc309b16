package dev.fovea.bench;

import dev.fovea.protocol.codec.FrameCodec;
import dev.fovea.protocol.codec.FrameDecoder;
import dev.fovea.protocol.codec.FrameLimits;
import dev.fovea.protocol.message.Message;
import dev.fovea.protocol.message.Publish;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Encoding and decoding a PUBLISH frame: Fovea's {@link FrameCodec} and {@link FrameDecoder}, which
 * write and read the body map field by field straight from and into the message, beside {@link
 * NaiveMapEncoder} and {@link NaiveMapDecoder}, which go through a generic value tree, as macula's
 * dynamic-map codec does.
 *
 * <p>The streaming pair decodes a buffer of {@value #FRAMES_PER_STREAM} frames back to back, the
 * way a busy connection delivers them; its score is frames per second.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class CodecBenchmark {
  static final int FRAMES_PER_STREAM = 64;

  @Param({"16", "128", "1024"})
  int payloadBytes;

  private Publish publish;
  private byte[] frame;
  private ByteBuffer stream;
  private byte[] streamBytes;
  private FrameDecoder decoder;

  @Setup
  public void setUp() {
    SplittableRandom random = new SplittableRandom(42);
    byte[] payload = new byte[payloadBytes];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) random.nextInt(256);
    }
    publish = new Publish("sensor.b07.f03.r21.temp", payload);
    frame = FrameCodec.encode(publish);

    streamBytes = new byte[frame.length * FRAMES_PER_STREAM];
    for (int i = 0; i < FRAMES_PER_STREAM; i++) {
      System.arraycopy(frame, 0, streamBytes, i * frame.length, frame.length);
    }
    stream = ByteBuffer.wrap(streamBytes);
    decoder = new FrameDecoder(FrameLimits.DEFAULT);

    checkBothSidesCodeTheSame();
  }

  @Benchmark
  public byte[] encode() {
    return FrameCodec.encode(publish);
  }

  @Benchmark
  public byte[] encodeNaiveValueTree() {
    return NaiveMapEncoder.encode(publish);
  }

  @Benchmark
  public Message decode() {
    return FrameCodec.decode(frame, FrameLimits.DEFAULT);
  }

  @Benchmark
  public Publish decodeNaiveValueTree() {
    return NaiveMapDecoder.decode(frame);
  }

  @Benchmark
  @OperationsPerInvocation(FRAMES_PER_STREAM)
  public void streamDecode(Blackhole bh) {
    stream.rewind();
    decoder.feed(stream, bh::consume);
  }

  @Benchmark
  @OperationsPerInvocation(FRAMES_PER_STREAM)
  public void streamDecodeNaiveValueTree(Blackhole bh) {
    NaiveMapDecoder.decodeAll(streamBytes, bh::consume);
  }

  private void checkBothSidesCodeTheSame() {
    if (!Arrays.equals(NaiveMapEncoder.encode(publish), frame)) {
      throw new IllegalStateException("the encoders disagree on " + publish);
    }
    List<Message> fed = new FrameDecoder(FrameLimits.DEFAULT).feed(streamBytes);
    List<Publish> naive = new ArrayList<>();
    NaiveMapDecoder.decodeAll(streamBytes, naive::add);
    if (fed.size() != FRAMES_PER_STREAM
        || !fed.stream().allMatch(publish::equals)
        || !FrameCodec.decode(frame, FrameLimits.DEFAULT).equals(publish)
        || naive.size() != FRAMES_PER_STREAM
        || !naive.stream().allMatch(publish::equals)
        || !NaiveMapDecoder.decode(frame).equals(publish)) {
      throw new IllegalStateException("the decoders disagree on " + publish);
    }
  }
}
