package dev.fovea.node.gateway;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.Done;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.SourceShape;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * The stream source that drains an {@link Outbox} toward the socket. Each time the socket is ready
 * for more, the stage joins everything queued, up to {@code maxWriteBytes}, into one buffer: a
 * subscriber that receives many small messages gets them in few writes, and the stream handles one
 * element per write rather than one per frame. When nothing is queued the stage parks; the next
 * offer wakes it through an async callback, which costs one message to the stream's actor only when
 * the stage was idle.
 */
final class OutboxSource extends GraphStage<SourceShape<ByteString>> {
  private final Outlet<ByteString> out = Outlet.create("Outbox.out");
  private final Outbox outbox;
  private final int maxWriteBytes;

  /** Wakes a parked stage; cheap when it is not parked. */
  interface Waker {
    void wake();
  }

  OutboxSource(Outbox outbox, int maxWriteBytes) {
    this.outbox = outbox;
    this.maxWriteBytes = maxWriteBytes;
  }

  @Override
  public SourceShape<ByteString> shape() {
    return SourceShape.of(out);
  }

  @Override
  public GraphStageLogic createLogic(Attributes attributes) {
    return new GraphStageLogic(shape()) {
      private final AtomicBoolean parked = new AtomicBoolean();
      private final List<ByteString> taken = new ArrayList<>();
      private AsyncCallback<Done> resume;

      {
        setHandler(
            out,
            new AbstractOutHandler() {
              @Override
              public void onPull() {
                pushOrPark();
              }
            });
      }

      @Override
      public void preStart() {
        resume = createAsyncCallback(done -> pushOrPark());
        outbox.attach(
            () -> {
              if (parked.compareAndSet(true, false)) {
                resume.invoke(Done.getInstance());
              }
            });
      }

      private void pushOrPark() {
        if (!isAvailable(out)) {
          return;
        }
        int bytes = outbox.takeWrite(maxWriteBytes, taken);
        if (bytes > 0) {
          push(out, join(bytes));
          return;
        }
        if (outbox.isClosed()) {
          // Nothing is queued after the close, but the last frames may have been queued since
          // the poll above: complete only once they are out.
          if (outbox.isEmpty()) {
            completeStage();
          } else {
            pushOrPark();
          }
          return;
        }
        parked.set(true);
        // An offer may have landed between the poll and parking: look once more.
        if (!outbox.isEmpty() || outbox.isClosed()) {
          if (parked.compareAndSet(true, false)) {
            pushOrPark();
          }
        }
      }

      /** The frames taken for one write, as one buffer; a single frame is passed as it is. */
      private ByteString join(int bytes) {
        if (taken.size() == 1) {
          ByteString only = taken.get(0);
          taken.clear();
          return only;
        }
        ByteBuffer joined = ByteBuffer.allocate(bytes);
        for (ByteString frame : taken) {
          frame.copyToBuffer(joined);
        }
        taken.clear();
        return ByteString.fromArrayUnsafe(joined.array());
      }
    };
  }
}
