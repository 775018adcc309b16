package dev.fovea.protocol.codec;

import dev.fovea.protocol.ProtocolException;
import dev.fovea.protocol.message.FrameType;
import dev.fovea.protocol.message.Message;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Turns a stream of bytes, in chunks of any size, into messages: a frame split across chunks is
 * reassembled, and a chunk holding several frames yields them all in order.
 *
 * <p>Whole frames are decoded where they lie in the chunk; only the incomplete frame at its end is
 * copied into the decoder's own buffer, which is allocated when first needed and dropped when large
 * and empty. A connection that sends whole frames therefore holds no buffer at all, which matters
 * to a node holding ten thousand of them.
 *
 * <p>Memory is bounded by the frame limit: a header announcing a body over the limit is refused
 * before any of that body is buffered. After a refusal the decoder stays failed, since the stream's
 * frame boundaries are lost; the connection is to be closed.
 *
 * <p>Not thread-safe: one decoder per connection, fed by one thread at a time.
 */
public final class FrameDecoder {
  private static final int MIN_CAPACITY = 1024;
  private static final int INITIAL_CAPACITY = 8 * 1024;
  private static final int SHRINK_ABOVE = 16 * 1024;
  private static final byte[] NONE = new byte[0];

  private final FrameLimits limits;
  private byte[] buf = NONE;
  private int start;
  private int end;
  private ProtocolException failure;

  public FrameDecoder(FrameLimits limits) {
    this.limits = limits;
  }

  /** Feeds a chunk and returns the messages it completed. */
  public List<Message> feed(byte[] chunk) {
    List<Message> out = new ArrayList<>(2);
    feed(ByteBuffer.wrap(chunk), out::add);
    return out;
  }

  /**
   * Feeds the remaining bytes of {@code chunk} and passes each completed message to {@code sink},
   * in order.
   *
   * @throws ProtocolException when the stream holds a frame that is refused; every message before
   *     it has been passed on
   */
  public void feed(ByteBuffer chunk, Consumer<? super Message> sink) {
    if (failure != null) {
      throw failure;
    }
    try {
      if (start == end && chunk.hasArray()) {
        int from = chunk.arrayOffset() + chunk.position();
        int decodedTo = decodeFrames(chunk.array(), from, from + chunk.remaining(), sink);
        chunk.position(chunk.position() + (decodedTo - from));
      }
      while (chunk.hasRemaining()) {
        append(chunk);
        drain(sink);
      }
    } catch (ProtocolException e) {
      failure = e;
      throw e;
    }
  }

  /** Bytes received but not yet part of a complete frame. */
  public int buffered() {
    return end - start;
  }

  /** The size of the reassembly buffer held now, for tests of the memory a connection holds. */
  int capacity() {
    return buf.length;
  }

  private void append(ByteBuffer chunk) {
    if (end == buf.length) {
      makeRoom(Math.max(FrameCodec.HEADER_BYTES, end - start + 1));
    }
    int n = Math.min(chunk.remaining(), buf.length - end);
    chunk.get(buf, end, n);
    end += n;
  }

  private void drain(Consumer<? super Message> sink) {
    start = decodeFrames(buf, start, end, sink);
    if (start == end) {
      start = 0;
      end = 0;
      if (buf.length > SHRINK_ABOVE) {
        // A connection that sent one large frame should not hold its buffer for ever.
        buf = NONE;
      }
    }
  }

  /**
   * Decodes the whole frames in {@code bytes[from, to)}, in order, and returns where the first
   * incomplete one starts. A header is checked as soon as it is complete, before its body is.
   */
  private int decodeFrames(byte[] bytes, int from, int to, Consumer<? super Message> sink) {
    while (to - from >= FrameCodec.HEADER_BYTES) {
      FrameType type = FrameCodec.checkHeader(bytes, from, limits);
      int length = FrameCodec.bodyLength(bytes, from);
      int frameBytes = FrameCodec.HEADER_BYTES + length;
      if (to - from < frameBytes) {
        // The buffer grows as the body arrives, not when the header announces it: a client that
        // sends a header and stops holds only what it sent.
        break;
      }
      Message message =
          FrameCodec.decodeBody(type, bytes, from + FrameCodec.HEADER_BYTES, length, limits);
      from += frameBytes;
      sink.accept(message);
    }
    return from;
  }

  /** Makes sure the buffer can hold {@code needed} bytes from {@code start}. */
  private void makeRoom(int needed) {
    int held = end - start;
    if (buf.length - start >= needed) {
      return;
    }
    byte[] target =
        needed <= buf.length
            ? buf
            : new byte
                [Math.max(
                    needed,
                    Math.max(MIN_CAPACITY, Math.min(2 * buf.length, needed + INITIAL_CAPACITY)))];
    System.arraycopy(buf, start, target, 0, held);
    buf = target;
    start = 0;
    end = held;
  }
}
