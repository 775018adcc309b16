package dev.fovea.protocol.topic;

import java.util.Arrays;

/**
 * One pattern of {@link ShapeTable} with its values: an immutable entry that the writer replaces
 * whole when a value comes or goes.
 *
 * <p>Everything a match needs from it sits in this one object, so that a pattern found in the table
 * costs one more memory access, not a chain of them: the key, the shape, the first eight literal
 * segments in fields (a pattern of more has the rest in an array) and the first value in a field
 * (the others, if any, in an array that also holds the first). The pattern's text is not kept: it
 * is rebuilt from the shape and the literals when asked for, which only writers do.
 */
final class PatternGroup {
  static final int INLINE_LITERALS = 8;

  final long key;
  final PatternShape shape;

  private final Segment l0;
  private final Segment l1;
  private final Segment l2;
  private final Segment l3;
  private final Segment l4;
  private final Segment l5;
  private final Segment l6;
  private final Segment l7;

  /** The literals past the eighth, or null. */
  private final Segment[] moreLiterals;

  /** The first value; null only in the table's marker for a removed slot. */
  final Object first;

  /** Every value, {@link #first} included, or null when {@link #first} is the only one. */
  final Object[] all;

  PatternGroup(long key, PatternShape shape, Segment[] literals, Object[] values) {
    this.key = key;
    this.shape = shape;
    this.l0 = at(literals, 0);
    this.l1 = at(literals, 1);
    this.l2 = at(literals, 2);
    this.l3 = at(literals, 3);
    this.l4 = at(literals, 4);
    this.l5 = at(literals, 5);
    this.l6 = at(literals, 6);
    this.l7 = at(literals, 7);
    this.moreLiterals =
        literals.length > INLINE_LITERALS
            ? Arrays.copyOfRange(literals, INLINE_LITERALS, literals.length)
            : null;
    this.first = values.length == 0 ? null : values[0];
    this.all = values.length > 1 ? values : null;
  }

  /** The marker the table leaves in the slot of a removed pattern. */
  static PatternGroup removed() {
    return new PatternGroup(0L, null, new Segment[0], new Object[0]);
  }

  Segment literal(int index) {
    switch (index) {
      case 0:
        return l0;
      case 1:
        return l1;
      case 2:
        return l2;
      case 3:
        return l3;
      case 4:
        return l4;
      case 5:
        return l5;
      case 6:
        return l6;
      case 7:
        return l7;
      default:
        return moreLiterals[index - INLINE_LITERALS];
    }
  }

  Segment[] literals() {
    Segment[] literals = new Segment[shape.literalCount()];
    for (int i = 0; i < literals.length; i++) {
      literals[i] = literal(i);
    }
    return literals;
  }

  /** Whether this is the group of the shape and literals. */
  boolean holds(PatternShape shape, Segment[] literals) {
    if (this.shape != shape) {
      return false;
    }
    for (int i = 0; i < literals.length; i++) {
      if (literal(i) != literals[i]) {
        return false;
      }
    }
    return true;
  }

  /** The pattern's text, rebuilt from its shape and literals. */
  String pattern() {
    StringBuilder text = new StringBuilder();
    int next = 0;
    for (String part : shape.signature.split("\\.", -1)) {
      if (text.length() > 0) {
        text.append('.');
      }
      text.append(part.equals("L") ? literal(next++).name : part);
    }
    return text.toString();
  }

  Object[] values() {
    return all != null ? all : new Object[] {first};
  }

  int valueCount() {
    return all != null ? all.length : 1;
  }

  int indexOf(Object value) {
    if (all == null) {
      return first.equals(value) ? 0 : -1;
    }
    for (int i = 0; i < all.length; i++) {
      if (all[i].equals(value)) {
        return i;
      }
    }
    return -1;
  }

  PatternGroup with(Object value) {
    Object[] values = values();
    Object[] grown = Arrays.copyOf(values, values.length + 1);
    grown[values.length] = value;
    return new PatternGroup(key, shape, literals(), grown);
  }

  /** A copy without the value at the index; the group must hold more than one. */
  PatternGroup without(int index) {
    Object[] values = values();
    Object[] shrunk = new Object[values.length - 1];
    System.arraycopy(values, 0, shrunk, 0, index);
    System.arraycopy(values, index + 1, shrunk, index, values.length - index - 1);
    return new PatternGroup(key, shape, literals(), shrunk);
  }

  private static Segment at(Segment[] literals, int index) {
    return index < literals.length ? literals[index] : null;
  }
}
