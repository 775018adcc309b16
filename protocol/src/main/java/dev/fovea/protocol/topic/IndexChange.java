package dev.fovea.protocol.topic;

/** What an add or a removal changed in one part of {@link TopicTrie}, for its counts. */
enum IndexChange {
  /** The pair was already there, or was not there to remove. */
  NONE,
  /** A value was added to or removed from a pattern that stays. */
  VALUE,
  /** The pattern's first value came or its last one went. */
  PATTERN
}
