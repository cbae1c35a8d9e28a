package io.reliapi.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** JsonMembers behaves as the LinkedHashMap Jackson would use, small and past {@link JsonMembers#SMALL}. */
class JsonMembersTest {

  /** Each op is (kind, name, value): put, remove, get, remove through the iterator, set through an entry, clear. */
  @Property(tries = 3000)
  void anySequenceOfChangesLeavesTheSameMembersInTheSameOrderAsLinkedHashMap(
      @ForAll @Size(max = 80) List<@IntRange(max = 5999) Integer> ops) {
    JsonMembers members = new JsonMembers();
    Map<String, JsonNode> expected = new LinkedHashMap<>();
    for (int op : ops) {
      int kind = op / 1000;
      String name = "m" + (op % 1000) % 14; // 14 names: the sequence grows past SMALL, and clear() starts small again
      JsonNode value = IntNode.valueOf(op);
      switch (kind) {
        case 0, 1 -> assertThat(members.put(name, value)).isEqualTo(expected.put(name, value));
        case 2 -> assertThat(members.remove(name)).isEqualTo(expected.remove(name));
        case 3 -> {
          assertThat(members.get(name)).isEqualTo(expected.get(name));
          assertThat(members.containsKey(name)).isEqualTo(expected.containsKey(name));
        }
        case 4 -> {
          members.entrySet().removeIf(e -> e.getKey().equals(name));
          expected.entrySet().removeIf(e -> e.getKey().equals(name));
        }
        default -> {
          if (op % 7 == 0) {
            members.clear();
            expected.clear();
          } else {
            members.entrySet().forEach(e -> e.setValue(IntNode.valueOf(e.getValue().intValue() + 1)));
            expected.entrySet().forEach(e -> e.setValue(IntNode.valueOf(e.getValue().intValue() + 1)));
          }
        }
      }
      assertThat(new ArrayList<>(members.entrySet())).containsExactlyElementsOf(expected.entrySet());
      assertThat(members).isEqualTo(expected).hasSameHashCodeAs(expected).hasSize(expected.size());
    }
  }

  @Test
  void parsedObjectsKeepMemberOrderDuplicatesAndEqualityWithJacksonsOwn() throws Exception {
    String json = "{\"b\":1,\"a\":{\"x\":[1,{\"y\":2}]},\"b\":3,\"c\":null,"
        + "\"k0\":0,\"k1\":1,\"k2\":2,\"k3\":3,\"k4\":4,\"k5\":5,\"k6\":6,\"k7\":7}";
    JsonNode ours = Json.MAPPER.readTree(json);
    JsonNode plain = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
    assertThat(ours).isEqualTo(plain);
    assertThat(plain).isEqualTo(ours);
    assertThat(ours.toString()).isEqualTo(plain.toString()).startsWith("{\"b\":3,\"a\":");
    ObjectNode copy = ((ObjectNode) ours).deepCopy();
    copy.retain("a", "k7");
    assertThat(copy.toString()).isEqualTo("{\"a\":{\"x\":[1,{\"y\":2}]},\"k7\":7}");
  }

  @Test
  void aChangeDuringIterationIsRefusedNotSkipped() {
    JsonMembers members = new JsonMembers();
    members.put("a", IntNode.valueOf(1));
    members.put("b", IntNode.valueOf(2));
    Iterator<Map.Entry<String, JsonNode>> walk = members.entrySet().iterator();
    walk.next();
    members.remove("a");
    assertThatThrownBy(walk::next).isInstanceOf(ConcurrentModificationException.class);
  }

  @Test
  void growingPastSmallDuringIterationIsRefusedNotEnded() {
    JsonMembers members = new JsonMembers();
    for (int i = 0; i < JsonMembers.SMALL; i++) {
      members.put("m" + i, IntNode.valueOf(i));
    }
    Iterator<Map.Entry<String, JsonNode>> walk = members.entrySet().iterator();
    walk.next();
    members.put("one-more", IntNode.valueOf(0));
    assertThat(walk.hasNext()).isTrue();
    assertThatThrownBy(walk::next).isInstanceOf(ConcurrentModificationException.class);
  }
}
