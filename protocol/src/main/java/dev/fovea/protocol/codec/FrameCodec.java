package dev.fovea.protocol.codec;

import dev.fovea.protocol.ErrorCode;
import dev.fovea.protocol.ProtocolException;
import dev.fovea.protocol.message.FrameType;
import dev.fovea.protocol.message.Message;

/**
 * Encodes a message into one frame and decodes one frame body. A frame is an 8-byte header
 * (version, type, flags, reserved, body length as a 32-bit big-endian integer) followed by a
 * MessagePack map. For a stream of bytes, use {@link FrameDecoder}.
 */
public final class FrameCodec {
  public static final int HEADER_BYTES = 8;
  public static final int VERSION = 1;

  // Writers keep their buffer between uses, so encoding allocates only the frame it returns.
  private static final ThreadLocal<MsgpackWriter> WRITERS =
      ThreadLocal.withInitial(MsgpackWriter::new);

  private static final ThreadLocal<MsgpackReader> READERS =
      ThreadLocal.withInitial(MsgpackReader::new);

  private FrameCodec() {}

  /** The whole frame, header included. */
  public static byte[] encode(Message message) {
    MsgpackWriter writer = WRITERS.get();
    writer.reset(HEADER_BYTES);
    BodyEncoder.write(message, writer);
    byte[] frame = writer.toByteArray();
    writeHeader(frame, message.type(), frame.length - HEADER_BYTES);
    return frame;
  }

  /**
   * Decodes one complete frame, header included.
   *
   * @throws ProtocolException if the frame is refused, for the reasons {@link FrameDecoder} gives
   */
  public static Message decode(byte[] frame, FrameLimits limits) {
    if (frame.length < HEADER_BYTES) {
      throw new ProtocolException(
          ErrorCode.MALFORMED_BODY,
          "a frame has at least " + HEADER_BYTES + " bytes, got " + frame.length);
    }
    FrameType type = checkHeader(frame, 0, limits);
    int length = bodyLength(frame, 0);
    if (frame.length - HEADER_BYTES != length) {
      throw new ProtocolException(
          ErrorCode.MALFORMED_BODY,
          "the header states a body of "
              + length
              + " bytes but "
              + (frame.length - HEADER_BYTES)
              + " follow");
    }
    return decodeBody(type, frame, HEADER_BYTES, length, limits);
  }

  /**
   * Checks a header's version, type and length, and returns its type. The length is checked against
   * the limit here, before any of the body is read or buffered.
   */
  static FrameType checkHeader(byte[] buf, int at, FrameLimits limits) {
    int version = buf[at] & 0xff;
    if (version != VERSION) {
      throw new ProtocolException(
          ErrorCode.UNSUPPORTED_VERSION,
          "frame version " + version + " is not supported; this node speaks version " + VERSION);
    }
    int code = buf[at + 1] & 0xff;
    FrameType type = FrameType.fromCode(code);
    if (type == null) {
      throw new ProtocolException(
          ErrorCode.UNKNOWN_TYPE, String.format("frame type 0x%02x is not known", code));
    }
    long length = bodyLength(buf, at) & 0xffffffffL;
    if (length > limits.maxBodyBytes()) {
      throw new ProtocolException(
          ErrorCode.FRAME_TOO_LARGE,
          "a "
              + type
              + " body of "
              + length
              + " bytes is over the limit of "
              + limits.maxBodyBytes());
    }
    return type;
  }

  static int bodyLength(byte[] buf, int at) {
    return ((buf[at + 4] & 0xff) << 24)
        | ((buf[at + 5] & 0xff) << 16)
        | ((buf[at + 6] & 0xff) << 8)
        | (buf[at + 7] & 0xff);
  }

  static Message decodeBody(
      FrameType type, byte[] buf, int offset, int length, FrameLimits limits) {
    MsgpackReader in = READERS.get();
    in.reset(buf, offset, length);
    try {
      Body body = Body.read(type, in);
      return BodyDecoder.toMessage(type, body, limits.topics());
    } catch (MsgpackReader.Malformed e) {
      throw new ProtocolException(
          ErrorCode.MALFORMED_BODY,
          "the body of " + type + " is not valid MessagePack: " + e.getMessage());
    } finally {
      in.release();
    }
  }

  private static void writeHeader(byte[] frame, FrameType type, int bodyLength) {
    frame[0] = (byte) VERSION;
    frame[1] = (byte) type.code();
    frame[2] = 0;
    frame[3] = 0;
    frame[4] = (byte) (bodyLength >>> 24);
    frame[5] = (byte) (bodyLength >>> 16);
    frame[6] = (byte) (bodyLength >>> 8);
    frame[7] = (byte) bodyLength;
  }
}
