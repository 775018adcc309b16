package dev.fovea.protocol.topic;

import java.util.concurrent.ThreadLocalRandom;

/**
 * A literal segment that some pattern uses, interned once in {@link TopicTrie}'s dictionary, so
 * that the index compares segments by identity. Readers read only its final fields.
 */
final class Segment {
  final String name;
  final int hash;

  /** Where its probe starts, in any table size: the hash with its high bits folded in. */
  final int slot;

  /**
   * Random, drawn when the segment is interned: what {@link ShapeTable} keys are computed from, so
   * that nobody can choose names whose keys collide.
   */
  final long tag;

  /** How many trie edges and table patterns use it; under the writer's lock. */
  int uses;

  Segment(String name) {
    this.name = name;
    this.hash = name.hashCode();
    this.slot = slot(hash);
    this.tag = ThreadLocalRandom.current().nextLong();
  }

  static int slot(int hash) {
    return hash ^ (hash >>> 16);
  }
}
