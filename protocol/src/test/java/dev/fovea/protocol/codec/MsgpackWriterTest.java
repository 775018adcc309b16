package dev.fovea.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/**
 * The frame writer's MessagePack is byte for byte what msgpack-core's packer writes, at and around
 * every boundary between two encodings of a value, so that any MessagePack reader agrees with it.
 */
class MsgpackWriterTest {
  private static final int[] SIZE_EDGES = {0, 1, 15, 16, 31, 32, 255, 256, 65535, 65536, 70000};

  static LongStream longs() {
    List<Long> values = new ArrayList<>();
    for (int bits = 0; bits < 64; bits++) {
      long edge = 1L << bits;
      for (long v : new long[] {edge - 1, edge, edge + 1, -edge - 1, -edge, -edge + 1}) {
        values.add(v);
      }
    }
    values.add(Long.MAX_VALUE);
    values.add(Long.MIN_VALUE);
    return values.stream().mapToLong(Long::longValue);
  }

  static IntStream sizes() {
    return Arrays.stream(SIZE_EDGES);
  }

  @ParameterizedTest
  @MethodSource("longs")
  void integersMatchThePacker(long value) throws IOException {
    MsgpackWriter writer = newWriter();
    writer.packLong(value);
    MessageBufferPacker packer = MessagePack.newDefaultBufferPacker();
    packer.packLong(value);
    assertThat(written(writer)).isEqualTo(packer.toByteArray());
  }

  @ParameterizedTest
  @MethodSource("sizes")
  void stringsBinaryAndMapHeadersMatchThePacker(int size) throws IOException {
    String ascii = "a".repeat(size);
    String accented = "é".repeat(size / 2 + 1); // two UTF-8 bytes per char
    byte[] binary = new byte[size];
    Arrays.fill(binary, (byte) 7);

    MsgpackWriter writer = newWriter();
    writer.packString(ascii);
    writer.packString(accented);
    writer.packBinaryHeader(binary.length);
    writer.writePayload(binary);
    writer.packMapHeader(size);
    writer.packBoolean(true);
    writer.packBoolean(false);

    MessageBufferPacker packer = MessagePack.newDefaultBufferPacker();
    packer.packString(ascii);
    packer.packString(accented);
    packer.packBinaryHeader(binary.length);
    packer.writePayload(binary);
    packer.packMapHeader(size);
    packer.packBoolean(true);
    packer.packBoolean(false);
    assertThat(written(writer)).isEqualTo(packer.toByteArray());
  }

  private static MsgpackWriter newWriter() {
    MsgpackWriter writer = new MsgpackWriter();
    writer.reset(0);
    return writer;
  }

  private static byte[] written(MsgpackWriter writer) {
    return writer.toByteArray();
  }
}
