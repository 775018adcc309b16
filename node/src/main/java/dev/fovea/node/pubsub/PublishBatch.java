package dev.fovea.node.pubsub;

import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.util.ByteString;

/**
 * The publishes of one read from a client (or of one batch from another node), grouped by topic
 * shard, so that each shard gets one message per read however many publishes the read held. Under
 * load that turns hundreds of actor messages per socket read into a few. Order is kept per shard,
 * which is all that ordering per topic needs. One batch belongs to one actor at a time.
 */
public final class PublishBatch {
  private final TopicShards shards;
  private final boolean fromRemote;
  private final List<Publication>[] byShard;
  private int pending;

  @SuppressWarnings("unchecked")
  PublishBatch(TopicShards shards, boolean fromRemote) {
    this.shards = shards;
    this.fromRemote = fromRemote;
    this.byShard = new List[shards.size()];
  }

  public void add(String topic, ByteString frame) {
    int shard = shards.shardOf(topic);
    List<Publication> list = byShard[shard];
    if (list == null) {
      list = new ArrayList<>();
      byShard[shard] = list;
    }
    list.add(new Publication(topic, frame));
    pending++;
  }

  /** Publishes added and not yet sent. */
  public int pending() {
    return pending;
  }

  /** Sends what was added to the shards, one message per shard that has any. */
  public void flush() {
    if (pending == 0) {
      return;
    }
    for (int i = 0; i < byShard.length; i++) {
      List<Publication> list = byShard[i];
      if (list != null) {
        byShard[i] = null;
        shards.send(i, new TopicShard.Deliver(list, fromRemote));
      }
    }
    pending = 0;
  }
}
