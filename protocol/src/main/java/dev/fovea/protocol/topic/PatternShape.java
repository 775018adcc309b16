package dev.fovea.protocol.topic;

import java.util.Arrays;

/**
 * Where a pattern has its wildcards, without its literal segments: {@code sensor.*.temp} and {@code
 * alarm.*.raw} share the shape {@code L.*.L}. A pattern of at most two {@code **} is a prefix, an
 * optional middle and an optional suffix, each a run of literals and {@code *}:
 *
 * <ul>
 *   <li>no {@code **}: the prefix alone, which matches topics of exactly its length;
 *   <li>{@code P.**.Q}: the prefix is anchored at the topic's first segment and the suffix at its
 *       last, so a topic of depth d has a single place for them if {@code |P| + |Q| <= d};
 *   <li>{@code P.**.M.**.Q}: the middle floats between them, at any window that leaves room.
 * </ul>
 *
 * <p>So once the shape is fixed, the topic alone says which of its segments a pattern of that shape
 * must hold at its literal positions: at most one tuple of segments per shape, or one per window of
 * the middle. {@link ShapeTable} keys patterns by (shape, tuple), and a match looks up one key per
 * shape and window instead of walking a trie.
 *
 * <p>Immutable but for {@link #patterns}, the writer's count of the patterns of this shape.
 */
final class PatternShape {
  /** The shape's text, {@code L} for a literal: {@code L.*.L}, {@code L.**.L.**}. */
  final String signature;

  /** Random per shape, so that two shapes with the same literals give different keys. */
  final long seed;

  final int globstars;
  final int prefixLength;
  final int middleLength;
  final int suffixLength;

  /** Positions of the literals in the prefix, from the topic's first segment. */
  final int[] prefixLiterals;

  /** Positions of the literals in the middle, from the start of its window. */
  final int[] middleLiterals;

  /** Positions of the literals in the suffix, from the first segment the suffix covers. */
  final int[] suffixLiterals;

  /** Whether the shape has a {@code *} or {@code **}: false for exact patterns. */
  final boolean wildcard;

  /** Live patterns of this shape; under the writer's lock. */
  int patterns;

  private PatternShape(String signature, long seed, String[][] parts) {
    this.signature = signature;
    this.seed = seed;
    this.globstars = parts.length - 1;
    String[] none = new String[0];
    String[] prefix = parts[0];
    String[] middle = parts.length == 3 ? parts[1] : none;
    String[] suffix = parts.length > 1 ? parts[parts.length - 1] : none;
    this.prefixLength = prefix.length;
    this.middleLength = middle.length;
    this.suffixLength = suffix.length;
    this.prefixLiterals = literalPositions(prefix);
    this.middleLiterals = literalPositions(middle);
    this.suffixLiterals = literalPositions(suffix);
    this.wildcard = globstars > 0 || prefixLiterals.length < prefixLength;
  }

  /** The shape of a pattern split into segments; it must have at most two {@code **}. */
  static PatternShape of(String[] names, long seed) {
    return new PatternShape(signature(names), seed, split(names));
  }

  /** The signature of the pattern's shape, without building one. */
  static String signature(String[] names) {
    StringBuilder text = new StringBuilder(2 * names.length);
    for (String name : names) {
      if (text.length() > 0) {
        text.append('.');
      }
      text.append(name.equals("*") || name.equals("**") ? name : "L");
    }
    return text.toString();
  }

  boolean hasWildcard() {
    return wildcard;
  }

  int literalCount() {
    return prefixLiterals.length + middleLiterals.length + suffixLiterals.length;
  }

  /** The fewest topic segments a pattern of this shape can match. */
  int minDepth() {
    return prefixLength + middleLength + suffixLength;
  }

  /** Whether a topic of this many segments can match a pattern of this shape. */
  boolean fits(int depth) {
    return globstars == 0 ? depth == prefixLength : depth >= minDepth();
  }

  /**
   * The pattern's literal segments in key order: prefix, middle, suffix, each left to right. The
   * pattern must have this shape.
   */
  String[] literals(String[] names) {
    String[] literals = new String[literalCount()];
    int next = 0;
    for (String name : names) {
      if (!name.equals("*") && !name.equals("**")) {
        literals[next++] = name;
      }
    }
    return literals;
  }

  /** The prefix, middle and suffix between the {@code **}. */
  private static String[][] split(String[] names) {
    int first = -1;
    int last = -1;
    int count = 0;
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals("**")) {
        first = first < 0 ? i : first;
        last = i;
        count++;
      }
    }
    if (count > 2) {
      throw new IllegalArgumentException("a shape has at most two **, not " + count);
    }
    if (count == 0) {
      return new String[][] {names};
    }
    String[] prefix = Arrays.copyOfRange(names, 0, first);
    String[] suffix = Arrays.copyOfRange(names, last + 1, names.length);
    if (count == 1) {
      return new String[][] {prefix, suffix};
    }
    return new String[][] {prefix, Arrays.copyOfRange(names, first + 1, last), suffix};
  }

  private static int[] literalPositions(String[] part) {
    int count = 0;
    for (String name : part) {
      count += name.equals("*") ? 0 : 1;
    }
    int[] positions = new int[count];
    int next = 0;
    for (int i = 0; i < part.length; i++) {
      if (!part[i].equals("*")) {
        positions[next++] = i;
      }
    }
    return positions;
  }

  @Override
  public String toString() {
    return signature;
  }
}
