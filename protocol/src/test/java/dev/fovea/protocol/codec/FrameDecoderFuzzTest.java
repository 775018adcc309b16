package dev.fovea.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.fovea.protocol.ProtocolException;
import dev.fovea.protocol.message.FrameType;
import dev.fovea.protocol.message.Message;
import dev.fovea.protocol.topic.TopicLimits;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.msgpack.core.MessagePacker;

/**
 * Seeded fuzzing of the stream decoder. Whatever the bytes and however they are chunked, the
 * decoder either decodes them or refuses them with a {@link ProtocolException}; it never throws
 * anything else, never buffers more than one frame under the limit, and never allocates in
 * proportion to a length that a header claims but the input does not hold. A failure names its seed
 * and case, so it replays exactly.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = ThreadMode.SEPARATE_THREAD)
class FrameDecoderFuzzTest {
  private static final int MAX_BODY = 4096;
  private static final FrameLimits LIMITS = new FrameLimits(MAX_BODY, TopicLimits.DEFAULT);
  private static final int CASES = 4000;

  /**
   * What one case may allocate while being decoded. Well-behaved decoding of a few KiB takes a few
   * hundred KiB at most (msgpack's unpacker allocates its string buffers per frame); a decoder that
   * trusted a claimed length would allocate hundreds of MiB.
   */
  private static final long MAX_ALLOCATION_PER_CASE = 8L << 20;

  private static final String[] KEYS = {
    "realm",
    "client",
    "token",
    "session_id",
    "node_id",
    "limits",
    "reason",
    "code",
    "topic",
    "payload",
    "ack_id",
    "pattern",
    "call_id",
    "procedure",
    "timeout_ms",
    "error",
    "ttl_ms",
    "invocation_id",
    "expects_result",
    "unknown",
    ""
  };

  private static final byte[] INTERESTING_BYTES = {
    0x00,
    0x01,
    0x7f,
    (byte) 0x80,
    (byte) 0x8f,
    (byte) 0x90,
    (byte) 0xa0,
    (byte) 0xc0,
    (byte) 0xc1,
    (byte) 0xc4,
    (byte) 0xc6,
    (byte) 0xca,
    (byte) 0xcf,
    (byte) 0xd3,
    (byte) 0xdb,
    (byte) 0xdd,
    (byte) 0xdf,
    (byte) 0xff
  };

  private static final com.sun.management.ThreadMXBean THREADS = allocationCounter();

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1L, 42L, 0x5eed_f0e5L, 20_260_101L})
  void refusesPurelyRandomBytesOnlyWithProtocolErrors(long seed) {
    Random random = new Random(seed);

    for (int n = 0; n < CASES; n++) {
      byte[] input = new byte[random.nextInt(600)];
      random.nextBytes(input);
      decode(seed, n, random, input);
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {2L, 43L, 0xdead_beefL, 20_260_102L})
  void refusesMutatedValidFramesOnlyWithProtocolErrors(long seed) {
    Random random = new Random(seed);
    RandomMessages messages = new RandomMessages(random);

    for (int n = 0; n < CASES; n++) {
      byte[] input = validStream(messages, random);
      for (int m = 1 + random.nextInt(3); m > 0; m--) {
        input = mutate(input, random);
      }
      decode(seed, n, random, input);
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {3L, 44L, 0xc0ff_eeL, 20_260_103L})
  void refusesValidHeadersWithRandomBodiesOnlyWithProtocolErrors(long seed) {
    Random random = new Random(seed);

    for (int n = 0; n < CASES; n++) {
      List<byte[]> frames = new ArrayList<>();
      for (int f = 1 + random.nextInt(3); f > 0; f--) {
        byte[] body = random.nextInt(3) == 0 ? randomBytes(random) : randomBody(random);
        frames.add(Frames.concat(randomHeader(random, body.length), body));
      }
      decode(seed, n, random, Frames.concat(frames.toArray(byte[][]::new)));
    }
  }

  /** The positive side of the same property: a valid stream survives any chunking unchanged. */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {4L, 45L, 0xfeed_faceL, 20_260_104L})
  void decodesValidStreamsUnchangedWhateverTheChunking(long seed) {
    Random random = new Random(seed);
    RandomMessages messages = new RandomMessages(random);

    for (int n = 0; n < CASES; n++) {
      List<Message> sent = new ArrayList<>();
      for (int m = 1 + random.nextInt(5); m > 0; m--) {
        sent.add(messages.next());
      }
      byte[] input = Frames.encodeAll(sent);

      List<Message> received = decode(seed, n, random, input);

      assertThat(received).as("seed %d, case %d", seed, n).isEqualTo(sent);
    }
  }

  /**
   * Feeds the input in random chunks and returns what was decoded. A refusal ends the case; it must
   * carry a code and a reason and must be thrown again by any later feed.
   */
  private static List<Message> decode(long seed, int n, Random random, byte[] input) {
    FrameDecoder decoder = new FrameDecoder(LIMITS);
    List<Message> decoded = new ArrayList<>();
    long allocated = 0;
    try {
      for (int at = 0; at < input.length; ) {
        int size = chunkSize(random, input.length - at);
        long before = allocatedBytes();
        if (random.nextBoolean()) {
          decoded.addAll(decoder.feed(Arrays.copyOfRange(input, at, at + size)));
        } else {
          decoder.feed(ByteBuffer.wrap(input, at, size), decoded::add);
        }
        allocated += allocatedBytes() - before;
        at += size;
        if (decoder.buffered() > FrameCodec.HEADER_BYTES + MAX_BODY) {
          fail(describe(seed, n, input, "buffers " + decoder.buffered() + " bytes"));
        }
      }
    } catch (ProtocolException refusal) {
      if (refusal.code() == null || refusal.reason() == null || refusal.reason().isBlank()) {
        fail(describe(seed, n, input, "a refusal without code or reason: " + refusal));
      }
      Throwable again = catchAny(() -> decoder.feed(new byte[] {1}));
      if (again != refusal) {
        fail(describe(seed, n, input, "after " + refusal + " a later feed gave " + again));
      }
    } catch (RuntimeException | Error e) {
      throw new AssertionError(describe(seed, n, input, "threw " + e), e);
    }
    if (allocated > MAX_ALLOCATION_PER_CASE) {
      fail(describe(seed, n, input, "allocated " + allocated + " bytes"));
    }
    return decoded;
  }

  private static int chunkSize(Random random, int remaining) {
    int size =
        switch (random.nextInt(4)) {
          case 0 -> 1;
          case 1 -> 1 + random.nextInt(16);
          case 2 -> 1 + random.nextInt(512);
          default -> remaining;
        };
    return Math.min(size, remaining);
  }

  private static byte[] validStream(RandomMessages messages, Random random) {
    List<Message> sent = new ArrayList<>();
    for (int m = 1 + random.nextInt(4); m > 0; m--) {
      sent.add(messages.next());
    }
    return Frames.encodeAll(sent);
  }

  private static byte[] mutate(byte[] input, Random random) {
    if (input.length == 0) {
      return randomBytes(random);
    }
    int at = random.nextInt(input.length);
    byte[] out;
    switch (random.nextInt(5)) {
      case 0 -> {
        out = input.clone();
        out[at] ^= (byte) (1 << random.nextInt(8));
      }
      case 1 -> {
        out = input.clone();
        out[at] = INTERESTING_BYTES[random.nextInt(INTERESTING_BYTES.length)];
      }
      case 2 -> {
        byte[] inserted = new byte[1 + random.nextInt(8)];
        random.nextBytes(inserted);
        out =
            Frames.concat(
                Arrays.copyOfRange(input, 0, at),
                inserted,
                Arrays.copyOfRange(input, at, input.length));
      }
      case 3 -> {
        int end = Math.min(input.length, at + 1 + random.nextInt(8));
        out =
            Frames.concat(
                Arrays.copyOfRange(input, 0, at), Arrays.copyOfRange(input, end, input.length));
      }
      default -> out = Arrays.copyOf(input, at);
    }
    return out;
  }

  /** A header of version 1 and a known type, whose length mostly states the body's real size. */
  private static byte[] randomHeader(Random random, int bodyLength) {
    FrameType[] types = FrameType.values();
    long length =
        switch (random.nextInt(8)) {
          case 0 -> Math.max(0, bodyLength - 1 - random.nextInt(4));
          case 1 -> bodyLength + 1 + random.nextInt(4);
          case 2 -> random.nextInt() & 0xffff_ffffL;
          default -> bodyLength;
        };
    byte[] header = Frames.header(types[random.nextInt(types.length)], length);
    header[2] = (byte) random.nextInt(256);
    header[3] = (byte) random.nextInt(256);
    return header;
  }

  private static byte[] randomBytes(Random random) {
    byte[] bytes = new byte[random.nextInt(300)];
    random.nextBytes(bytes);
    return bytes;
  }

  /** A body that is mostly a map of known keys, with values of any type and lying sizes. */
  private static byte[] randomBody(Random random) {
    return Frames.packed(
        out -> {
          if (random.nextInt(8) == 0) {
            randomValue(out, random, 0);
            return;
          }
          int entries = random.nextInt(6);
          out.packMapHeader(random.nextInt(10) == 0 ? entries + 1 + random.nextInt(3) : entries);
          for (int e = 0; e < entries; e++) {
            String key = KEYS[random.nextInt(KEYS.length)];
            out.packString(key);
            if (random.nextBoolean()) {
              plausibleValue(out, random, key);
            } else {
              randomValue(out, random, 0);
            }
          }
          if (random.nextInt(10) == 0) {
            randomValue(out, random, 0);
          }
        });
  }

  /** A value of the type the key takes, so that decoding gets past the type checks. */
  private static void plausibleValue(MessagePacker out, Random random, String key)
      throws IOException {
    RandomMessages names = new RandomMessages(random);
    switch (key) {
      case "topic", "procedure" ->
          out.packString(random.nextBoolean() ? names.name() : junkName(random));
      case "pattern" -> out.packString(random.nextBoolean() ? names.pattern() : junkName(random));
      case "ack_id", "call_id", "invocation_id", "timeout_ms", "ttl_ms" -> out.packLong(names.id());
      case "expects_result" -> out.packBoolean(random.nextBoolean());
      case "payload" -> Frames.pack(out, names.payload());
      case "limits" -> {
        int n = random.nextInt(4);
        out.packMapHeader(random.nextInt(8) == 0 ? lyingSize(random) : n);
        for (int i = 0; i < n; i++) {
          out.packString(names.text());
          out.packLong(names.id());
        }
      }
      case "error" -> {
        out.packMapHeader(2);
        out.packString(random.nextBoolean() ? "code" : "reason");
        out.packString(names.text());
        out.packString(random.nextBoolean() ? "code" : "other");
        randomValue(out, random, 1);
      }
      default -> out.packString(names.text());
    }
  }

  private static void randomValue(MessagePacker out, Random random, int depth) throws IOException {
    switch (random.nextInt(depth > 2 ? 10 : 13)) {
      case 0 -> out.packNil();
      case 1 -> out.packBoolean(random.nextBoolean());
      case 2 -> out.packLong(random.nextLong() >> random.nextInt(64));
      case 3 ->
          out.packBigInteger(
              BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.valueOf(1 + random.nextInt(1000))));
      case 4 -> out.packDouble(random.nextDouble());
      case 5 -> out.packString(new RandomMessages(random).text());
      case 6 -> Frames.pack(out, randomBytes(random));
      case 7 -> lyingHeader(out, random);
      case 8 -> {
        byte[] data = new byte[random.nextInt(20)];
        random.nextBytes(data);
        out.packExtensionTypeHeader((byte) random.nextInt(128), data.length);
        out.writePayload(data);
      }
      case 9 -> {
        byte[] raw = new byte[1 + random.nextInt(4)];
        random.nextBytes(raw);
        out.writePayload(raw);
      }
      case 10 -> {
        int n = random.nextInt(4);
        out.packArrayHeader(n);
        for (int i = 0; i < n; i++) {
          randomValue(out, random, depth + 1);
        }
      }
      default -> {
        int n = random.nextInt(4);
        out.packMapHeader(n);
        for (int i = 0; i < n; i++) {
          randomValue(out, random, depth + 1);
          randomValue(out, random, depth + 1);
        }
      }
    }
  }

  /** A container or raw header that claims more than follows it. */
  private static void lyingHeader(MessagePacker out, Random random) throws IOException {
    int size = lyingSize(random);
    switch (random.nextInt(5)) {
      case 0 -> out.packBinaryHeader(size);
      case 1 -> out.packRawStringHeader(size);
      case 2 -> out.packExtensionTypeHeader((byte) 1, size);
      case 3 -> out.packArrayHeader(size);
      default -> out.packMapHeader(size);
    }
  }

  private static int lyingSize(Random random) {
    return switch (random.nextInt(4)) {
      case 0 -> Integer.MAX_VALUE;
      case 1 -> 0x3fff_ffff;
      case 2 -> 1 + random.nextInt(64);
      default -> random.nextInt(Integer.MAX_VALUE);
    };
  }

  /** A name that breaks some rule: a bad character, an empty segment, a misplaced wildcard. */
  private static String junkName(Random random) {
    String[] junk = {"a..b", ".a", "a.", "a b", "é", "a.*", "a.***", "*x", "a/b", "", "a\u0000b"};
    return junk[random.nextInt(junk.length)];
  }

  private static Throwable catchAny(Runnable action) {
    try {
      action.run();
      return null;
    } catch (RuntimeException | Error e) {
      return e;
    }
  }

  private static String describe(long seed, int n, byte[] input, String what) {
    HexFormat hex = HexFormat.of();
    String shown = hex.formatHex(input, 0, Math.min(input.length, 256));
    return "seed "
        + seed
        + ", case "
        + n
        + ": "
        + what
        + "; input ("
        + input.length
        + " bytes) "
        + shown
        + (input.length > 256 ? "..." : "");
  }

  private static long allocatedBytes() {
    return THREADS == null ? 0 : THREADS.getCurrentThreadAllocatedBytes();
  }

  /** HotSpot counts allocation per thread; on a JVM that does not, that check is skipped. */
  private static com.sun.management.ThreadMXBean allocationCounter() {
    if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads
        && threads.isThreadAllocatedMemorySupported()) {
      threads.setThreadAllocatedMemoryEnabled(true);
      return threads;
    }
    return null;
  }
}
