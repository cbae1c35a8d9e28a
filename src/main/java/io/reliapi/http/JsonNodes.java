package io.reliapi.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Jackson's node factory, with each object's members kept compactly ({@link JsonMembers}). */
public final class JsonNodes extends JsonNodeFactory {
  public static final JsonNodes INSTANCE = new JsonNodes();

  private JsonNodes() {
    super(false); // as JsonNodeFactory.instance: decimals normalized the same way
  }

  @Override
  public ObjectNode objectNode() {
    return new ObjectNode(this, new JsonMembers());
  }
}
