package dev.fovea.client;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

import dev.fovea.protocol.ErrorCode;
import dev.fovea.protocol.ProtocolException;
import dev.fovea.protocol.codec.FrameCodec;
import dev.fovea.protocol.codec.FrameDecoder;
import dev.fovea.protocol.codec.FrameLimits;
import dev.fovea.protocol.message.Connect;
import dev.fovea.protocol.message.Connected;
import dev.fovea.protocol.message.ErrorMessage;
import dev.fovea.protocol.message.Message;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A connection the node admitted. CONNECT and its answer are exchanged on the caller's thread,
 * before any thread of the client exists, with one deadline for the TCP connect and the answer.
 *
 * @param decoder the decoder that read CONNECTED; the reader carries on with it
 * @param early frames that arrived in the same read as CONNECTED, to be handled first
 */
record Handshake(
    String address,
    Socket socket,
    InputStream in,
    OutputStream out,
    FrameDecoder decoder,
    Connected connected,
    List<Message> early) {

  private static final int READ_BUFFER_BYTES = 16 * 1024;

  /**
   * Connects, sends CONNECT and waits for the answer.
   *
   * @throws FoveaException with the node's code if it refuses, {@link
   *     FoveaException#CONNECT_FAILED} on an I/O failure, {@link FoveaException#TIMEOUT} when the
   *     deadline passes
   */
  static Handshake perform(
      String host, int port, Connect connect, Duration timeout, FrameLimits inbound) {
    String address = host + ":" + port;
    long deadline = System.nanoTime() + timeout.toNanos();
    Socket socket = new Socket();
    boolean admitted = false;
    try {
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(host, port), (int) Math.max(1, timeout.toMillis()));
      OutputStream out = socket.getOutputStream();
      out.write(FrameCodec.encode(connect));
      out.flush();

      InputStream in = socket.getInputStream();
      FrameDecoder decoder = new FrameDecoder(inbound);
      List<Message> received = new ArrayList<>();
      byte[] buffer = new byte[READ_BUFFER_BYTES];
      while (received.isEmpty()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new SocketTimeoutException();
        }
        socket.setSoTimeout((int) Math.max(1, NANOSECONDS.toMillis(left)));
        int n = in.read(buffer);
        if (n < 0) {
          throw new FoveaException(
              FoveaException.CONNECT_FAILED,
              address + " closed the connection before answering CONNECT");
        }
        decoder.feed(ByteBuffer.wrap(buffer, 0, n), received::add);
      }
      socket.setSoTimeout(0);

      Message answer = received.remove(0);
      if (answer instanceof ErrorMessage error) {
        throw new FoveaException(error.code(), error.reason());
      }
      if (!(answer instanceof Connected connected)) {
        throw new FoveaException(
            ErrorCode.UNEXPECTED_FRAME.code(),
            address + " answered CONNECT with " + answer.type() + " instead of CONNECTED");
      }
      admitted = true;
      return new Handshake(address, socket, in, out, decoder, connected, received);
    } catch (SocketTimeoutException e) {
      throw new FoveaException(
          FoveaException.TIMEOUT,
          "no answer from " + address + " within " + timeout.toMillis() + " ms",
          e);
    } catch (IOException e) {
      throw new FoveaException(
          FoveaException.CONNECT_FAILED, "cannot connect to " + address + ": " + e.getMessage(), e);
    } catch (ProtocolException e) {
      throw new FoveaException(
          e.code().code(), address + " sent a frame the client cannot read: " + e.reason(), e);
    } finally {
      if (!admitted) {
        closeQuietly(socket);
      }
    }
  }

  static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Nothing is left to tell the other side.
    }
  }
}
