package io.reliapi.llm;

import io.reliapi.config.LlmConfig;
import io.reliapi.http.HttpCall;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Adds a target's {@code llm.query} parameters (Azure OpenAI's {@code api-version}, say) to a provider call the
 * gateway makes. A parameter the call already carries is kept as it is: on a raw route that is the client's own.
 */
public final class ProviderQuery {
  private ProviderQuery() {}

  public static HttpCall onto(HttpCall call, LlmConfig llm) {
    if (llm.query().isEmpty()) {
      return call;
    }
    String pathAndQuery = call.pathAndQuery();
    int q = pathAndQuery.indexOf('?');
    Set<String> present = names(q < 0 ? "" : pathAndQuery.substring(q + 1));
    StringBuilder out = new StringBuilder(pathAndQuery);
    boolean first = q < 0 || q == pathAndQuery.length() - 1;
    if (q < 0) {
      out.append('?');
    }
    for (Map.Entry<String, String> param : llm.query().entrySet()) {
      if (present.contains(param.getKey())) {
        continue;
      }
      if (!first) {
        out.append('&');
      }
      out.append(param.getKey()).append('=').append(PercentEncoding.encode(param.getValue()));
      first = false;
    }
    String result = out.charAt(out.length() - 1) == '?' ? out.substring(0, out.length() - 1) : out.toString();
    return new HttpCall(call.method(), result, call.headers(), call.body());
  }

  private static Set<String> names(String query) {
    Set<String> names = new HashSet<>();
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      if (!name.isEmpty()) {
        try {
          names.add(URLDecoder.decode(name, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException malformed) {
          names.add(name);
        }
      }
    }
    return names;
  }
}
