package dev.fovea.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

/**
 * The frame reader against msgpack-core on the same bytes: values of every MessagePack type, nested
 * at random, are skipped to the same byte, integers and strings read alike, and every truncation of
 * a valid value is refused as malformed and with nothing else.
 */
class MsgpackReaderTest {
  private static final long SEED = 20261204L;

  static java.util.stream.LongStream longs() {
    return MsgpackWriterTest.longs();
  }

  @ParameterizedTest
  @MethodSource("longs")
  void integersReadAsThePackerWroteThem(long value) throws IOException {
    MessageBufferPacker packer = MessagePack.newDefaultBufferPacker();
    packer.packLong(value);
    MsgpackReader in = over(packer.toByteArray());

    assertThat(in.nextKind()).isEqualTo(MsgpackReader.Kind.INTEGER);
    assertThat(in.readLong()).isEqualTo(value);
    assertThat(in.hasNext()).isFalse();
  }

  @Test
  void anUnsignedIntegerOverLongMaxIsAnOverflow() throws IOException {
    MessageBufferPacker packer = MessagePack.newDefaultBufferPacker();
    packer.packBigInteger(java.math.BigInteger.ONE.shiftLeft(63));

    assertThatThrownBy(() -> over(packer.toByteArray()).readLong())
        .isInstanceOf(MsgpackReader.Overflow.class);
  }

  @RepeatedTest(200)
  void randomValuesAreSkippedToTheSameByteAsMsgpackCoreSkipsThem(RepetitionInfo repetition)
      throws IOException {
    Random random = new Random(SEED + repetition.getCurrentRepetition());
    MessageBufferPacker packer = MessagePack.newDefaultBufferPacker();
    int values = 1 + random.nextInt(5);
    for (int i = 0; i < values; i++) {
      packRandom(packer, random, 0);
    }
    byte[] bytes = packer.toByteArray();

    MsgpackReader in = over(bytes);
    MessageUnpacker reference = MessagePack.newDefaultUnpacker(bytes);
    for (int i = 0; i < values; i++) {
      assertThat(in.nextKind().name()).isEqualTo(reference.getNextFormat().getValueType().name());
      in.skipValue();
      reference.skipValue();
      assertThat(in.consumed()).isEqualTo(reference.getTotalReadBytes());
    }
    assertThat(in.hasNext()).isFalse();

    for (int cut = 0; cut < bytes.length; cut++) {
      MsgpackReader truncated = new MsgpackReader();
      truncated.reset(bytes, 0, cut);
      assertThatThrownBy(
              () -> {
                for (int i = 0; i < values; i++) {
                  truncated.skipValue();
                }
              })
          .as("cut at %d of %d", cut, bytes.length)
          .isInstanceOf(MsgpackReader.Malformed.class);
    }
  }

  @Test
  void stringsAreReadAsUtf8() throws IOException {
    MessageBufferPacker packer = MessagePack.newDefaultBufferPacker();
    packer.packString("sensor.kitchen");
    packer.packString("température");

    MsgpackReader in = over(packer.toByteArray());

    assertThat(in.readString()).isEqualTo("sensor.kitchen");
    assertThat(in.readString()).isEqualTo("température");
  }

  @Test
  void theReservedByteIsMalformedWhereverItIsMet() {
    MsgpackReader in = over(new byte[] {(byte) 0x91, (byte) 0xc1});

    assertThat(in.nextKind()).isEqualTo(MsgpackReader.Kind.ARRAY);
    assertThatThrownBy(in::skipValue)
        .isInstanceOf(MsgpackReader.Malformed.class)
        .hasMessageContaining("0xc1");
  }

  @Test
  void aDeclaredSizeOverTheBodyIsRefusedWithoutAllocatingIt() {
    // bin32 of 2 GiB - 1 in a six-byte body
    MsgpackReader in = over(new byte[] {(byte) 0xc6, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff});

    assertThatThrownBy(() -> in.readBytes(in.readBinaryHeader()))
        .isInstanceOf(MsgpackReader.Malformed.class);
  }

  private static MsgpackReader over(byte[] bytes) {
    MsgpackReader in = new MsgpackReader();
    in.reset(bytes, 0, bytes.length);
    return in;
  }

  private static void packRandom(MessageBufferPacker out, Random random, int depth)
      throws IOException {
    int kind = random.nextInt(depth > 3 ? 8 : 10);
    switch (kind) {
      case 0 -> out.packNil();
      case 1 -> out.packBoolean(random.nextBoolean());
      case 2 -> out.packLong(random.nextLong() >> random.nextInt(64));
      case 3 -> out.packDouble(random.nextDouble());
      case 4 -> out.packFloat(random.nextFloat());
      case 5 -> out.packString("x".repeat(random.nextInt(300)));
      case 6 -> {
        byte[] b = new byte[random.nextInt(300)];
        out.packBinaryHeader(b.length);
        out.writePayload(b);
      }
      case 7 -> {
        int[] sizes = {1, 2, 4, 8, 16, 3, 300};
        byte[] b = new byte[sizes[random.nextInt(sizes.length)]];
        out.packExtensionTypeHeader((byte) 5, b.length);
        out.writePayload(b);
      }
      case 8 -> {
        int n = random.nextInt(random.nextBoolean() ? 5 : 20);
        out.packArrayHeader(n);
        for (int i = 0; i < n; i++) {
          packRandom(out, random, depth + 1);
        }
      }
      default -> {
        int n = random.nextInt(random.nextBoolean() ? 5 : 18);
        out.packMapHeader(n);
        for (int i = 0; i < 2 * n; i++) {
          packRandom(out, random, depth + 1);
        }
      }
    }
  }
}
