package dev.fovea.node.gateway;

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
import org.apache.pekko.util.ByteStringBuilder;

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
        ByteString frame = outbox.poll();
        if (frame != null) {
          push(out, joinQueuedAfter(frame));
          return;
        }
        if (outbox.isClosed()) {
          completeStage();
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

      /** The first frame and whatever else is queued, up to the write size, in one buffer. */
      private ByteString joinQueuedAfter(ByteString first) {
        ByteString next = outbox.pollIfFits(maxWriteBytes - first.size());
        if (next == null) {
          return first;
        }
        ByteStringBuilder joined = ByteString.createBuilder();
        joined.sizeHint(Math.min(maxWriteBytes, first.size() * 64));
        joined.append(first).append(next);
        int size = first.size() + next.size();
        while ((next = outbox.pollIfFits(maxWriteBytes - size)) != null) {
          joined.append(next);
          size += next.size();
        }
        return joined.result();
      }
    };
  }
}
