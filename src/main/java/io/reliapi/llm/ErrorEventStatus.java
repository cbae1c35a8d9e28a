package io.reliapi.llm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * The HTTP status an error sent inside a provider's stream stands for, so it is retried, refused or fallen back
 * from as the same error sent as a status would be. Read from the error's numeric {@code code} or {@code status}
 * when it has one (vLLM and other servers send {@code "code": 400}), else its words: a request the model cannot take
 * (too long, against the content policy, otherwise invalid; also when only the message says it is too long) is a
 * 400, a rate limit or exhausted quota 429, an overload 503, anything else 500.
 */
public final class ErrorEventStatus {
  private ErrorEventStatus() {}

  public static int of(JsonNode error) {
    for (String field : new String[] {"code", "status"}) {
      JsonNode number = error.path(field);
      if (number.canConvertToInt() && number.asInt() >= 400 && number.asInt() <= 599) {
        return number.asInt();
      }
    }
    String kind = (error.path("type").asText("") + " " + error.path("code").asText("")).toLowerCase(Locale.ROOT);
    if (kind.contains("context_length") || kind.contains("content_policy") || kind.contains("content_filter")
        || kind.contains("invalid") || kind.contains("badrequest")) {
      return 400;
    }
    if (kind.contains("rate_limit") || kind.contains("quota") || kind.contains("tokens")
        || kind.contains("requests")) {
      return 429;
    }
    if (kind.contains("overloaded")) {
      return 503;
    }
    return ProviderRefusal.saysContextLength(error.path("message").asText("")) ? 400 : 500;
  }
}
