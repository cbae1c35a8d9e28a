package io.reliapi.llm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Optional;

/**
 * A request body as the client wrote it in a provider protocol, kept beside the neutral reading of it: a
 * provider that speaks {@code protocol} is sent this body with only the fields the gateway owns set (model,
 * output limit, usage reporting), so fields the neutral model does not hold reach it unchanged.
 *
 * @param answeredAsIs   whether the client reads the provider's own answer, bytes as they came (a raw route),
 *                       rather than the gateway's rendering of the neutral answer
 * @param headers        protocol headers the client sent that belong with the body (lower-case names; Anthropic's
 *                       {@code anthropic-beta}), sent with it to a provider that speaks the protocol; a raw route
 *                       passes its client's headers otherwise and leaves this empty
 * @param untranslatable why the neutral reading misses part of the body (a server tool, a kind of block no other
 *                       protocol has), or empty when a translation for another protocol carries its meaning
 */
public record NativeBody(WireProtocol protocol, ObjectNode body, boolean answeredAsIs, Map<String, String> headers,
    Optional<String> untranslatable) {

  public NativeBody {
    headers = Map.copyOf(headers);
  }

  /** A body whose neutral reading is complete and that comes without protocol headers of its own. */
  public NativeBody(WireProtocol protocol, ObjectNode body, boolean answeredAsIs) {
    this(protocol, body, answeredAsIs, Map.of(), Optional.empty());
  }

  /** Returns whether {@code provider} can be sent this body as it is. */
  public boolean speaks(Provider provider) {
    return provider.protocol() == protocol;
  }

  /** Returns whether only a provider that speaks the protocol can serve it: no translation would do. */
  public boolean nativeOnly() {
    return answeredAsIs || untranslatable.isPresent();
  }
}
