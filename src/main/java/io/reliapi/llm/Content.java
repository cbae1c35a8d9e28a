package io.reliapi.llm;

import java.util.List;

/** A message's content: a plain string, or a list of parts (text, images, provider-specific parts). */
public sealed interface Content {

  /** Returns the text of the content: the string, or the text parts joined. */
  String text();

  record Text(String text) implements Content {}

  record Parts(List<ContentPart> parts) implements Content {
    public Parts {
      parts = List.copyOf(parts);
    }

    @Override
    public String text() {
      StringBuilder out = new StringBuilder();
      for (ContentPart part : parts) {
        if (part instanceof ContentPart.Text t) {
          out.append(t.text());
        }
      }
      return out.toString();
    }
  }
}
