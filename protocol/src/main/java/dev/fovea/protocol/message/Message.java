package dev.fovea.protocol.message;

/** A decoded frame body. Each frame type has exactly one implementation. */
public sealed interface Message
    permits Connect,
        Connected,
        Disconnect,
        Ping,
        Pong,
        ErrorMessage,
        Publish,
        PubAck,
        Subscribe,
        Unsubscribe,
        Call,
        Reply,
        Cast,
        Advertise,
        Unadvertise,
        Invoke,
        Result {

  FrameType type();
}
