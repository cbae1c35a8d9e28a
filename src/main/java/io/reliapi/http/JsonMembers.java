package io.reliapi.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * The members of one JSON object, in insertion order, as Jackson's {@code ObjectNode} keeps them. Most objects an
 * API exchanges have a handful of members, and a {@code LinkedHashMap} spends a table of 16 slots and an entry
 * object on each (about 300 bytes for four members, a tenth of what an LLM request allocates): here they sit in
 * one array of names and values, searched in order, until there are more than {@link #SMALL}; then a
 * {@code LinkedHashMap} takes over, so a hostile object with thousands of members is not searched linearly.
 */
final class JsonMembers extends AbstractMap<String, JsonNode> {
  static final int SMALL = 8;

  private Object[] slots; // name, value, name, value, ...; null while empty
  private int size;
  private LinkedHashMap<String, JsonNode> large;
  private int changes; // structural changes, for iterators
  private Set<Entry<String, JsonNode>> entries; // the view, made once as HashMap does

  @Override
  public int size() {
    return large != null ? large.size() : size;
  }

  @Override
  public boolean containsKey(Object name) {
    return large != null ? large.containsKey(name) : indexOf(name) >= 0;
  }

  @Override
  public JsonNode get(Object name) {
    if (large != null) {
      return large.get(name);
    }
    int at = indexOf(name);
    return at < 0 ? null : value(at);
  }

  @Override
  public JsonNode put(String name, JsonNode value) {
    Objects.requireNonNull(name);
    if (large != null) {
      return large.put(name, value);
    }
    int at = indexOf(name);
    if (at >= 0) {
      JsonNode old = value(at);
      slots[2 * at + 1] = value;
      return old;
    }
    if (size == SMALL) {
      large = new LinkedHashMap<>(2 * SMALL);
      for (int i = 0; i < size; i++) {
        large.put((String) slots[2 * i], value(i));
      }
      slots = null;
      size = 0;
      changes++;
      return large.put(name, value);
    }
    if (slots == null) {
      slots = new Object[8];
    } else if (2 * size == slots.length) {
      slots = Arrays.copyOf(slots, 2 * slots.length);
    }
    slots[2 * size] = name;
    slots[2 * size + 1] = value;
    size++;
    changes++;
    return null;
  }

  @Override
  public JsonNode remove(Object name) {
    if (large != null) {
      return large.remove(name);
    }
    int at = indexOf(name);
    if (at < 0) {
      return null;
    }
    JsonNode old = value(at);
    removeAt(at);
    return old;
  }

  @Override
  public void clear() {
    large = null;
    slots = null;
    size = 0;
    changes++;
  }

  @Override
  public Set<Entry<String, JsonNode>> entrySet() {
    if (entries == null) {
      entries = new AbstractSet<>() {
        @Override
        public int size() {
          return JsonMembers.this.size();
        }

        @Override
        public Iterator<Entry<String, JsonNode>> iterator() {
          return large != null ? large.entrySet().iterator() : new Members();
        }
      };
    }
    return entries;
  }

  private int indexOf(Object name) {
    for (int i = 0; i < size; i++) {
      Object own = slots[2 * i];
      if (own == name || own.equals(name)) {
        return i;
      }
    }
    return -1;
  }

  private JsonNode value(int at) {
    return (JsonNode) slots[2 * at + 1];
  }

  private void removeAt(int at) {
    System.arraycopy(slots, 2 * at + 2, slots, 2 * at, 2 * (size - at - 1));
    size--;
    slots[2 * size] = null;
    slots[2 * size + 1] = null;
    changes++;
  }

  /** Walks the small form; each entry writes a new value through to its slot. */
  private final class Members implements Iterator<Entry<String, JsonNode>> {
    private int next;
    private int last = -1;
    private int expected = changes;

    @Override
    public boolean hasNext() {
      return next < size || expected != changes; // a change since: next() says so rather than ending quietly
    }

    @Override
    public Entry<String, JsonNode> next() {
      if (expected != changes || large != null) {
        throw new ConcurrentModificationException();
      }
      if (next >= size) {
        throw new NoSuchElementException();
      }
      last = next++;
      return new Member(last);
    }

    @Override
    public void remove() {
      if (last < 0) {
        throw new IllegalStateException();
      }
      if (expected != changes) {
        throw new ConcurrentModificationException();
      }
      removeAt(last);
      next = last;
      last = -1;
      expected = changes;
    }
  }

  private final class Member extends SimpleEntry<String, JsonNode> {
    private final int at;
    private final int expected = changes;

    Member(int at) {
      super((String) slots[2 * at], value(at));
      this.at = at;
    }

    @Override
    public JsonNode setValue(JsonNode value) {
      if (expected != changes || large != null) {
        throw new ConcurrentModificationException();
      }
      slots[2 * at + 1] = value;
      return super.setValue(value);
    }
  }
}
