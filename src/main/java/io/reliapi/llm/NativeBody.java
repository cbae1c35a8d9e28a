package io.reliapi.llm;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A request body as the client wrote it in a provider protocol, kept beside the neutral reading of it: a
 * provider that speaks {@code protocol} is sent this body with only the fields the gateway owns set (model,
 * output limit, usage reporting), so fields the neutral model does not hold reach it unchanged.
 *
 * @param answeredAsIs whether the client reads the provider's own answer, bytes as they came (a raw route),
 *                     rather than the gateway's rendering of the neutral answer
 */
public record NativeBody(WireProtocol protocol, ObjectNode body, boolean answeredAsIs) {

  /** Returns whether {@code provider} can be sent this body as it is. */
  public boolean speaks(Provider provider) {
    return provider.protocol() == protocol;
  }
}
