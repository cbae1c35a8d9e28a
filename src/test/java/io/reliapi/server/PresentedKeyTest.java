package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.policy.access.AccessKey;
import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

class PresentedKeyTest {
  @Test
  void readsEachCredentialHeaderOverAllItsLines() {
    assertThat(read()).isEqualTo(new PresentedKey(null, null));
    assertThat(read("X-API-Key", "k-alice")).isEqualTo(new PresentedKey("k-alice", null));
    assertThat(read("authorization", "Bearer k-bob")).as("header names in any case")
        .isEqualTo(new PresentedKey(null, "Bearer k-bob"));
    assertThat(read("X-API-Key", "k-alice", "X-API-Key", "k-alice")).as("lines that agree are one value")
        .isEqualTo(new PresentedKey("k-alice", null));
    assertThat(read("X-API-Key", " k-alice ")).as("the value as sent; AccessKey trims it")
        .isEqualTo(new PresentedKey(" k-alice ", null));
  }

  @Test
  void linesThatDisagreePresentNoKeyButStillOfferOne() {
    PresentedKey twoKeys = read("X-API-Key", "k-alice", "X-API-Key", "k-bob");
    assertThat(twoKeys).isEqualTo(new PresentedKey("", null));
    assertThat(twoKeys.offered()).as("an admin request with it is a wrong key, not a session").isTrue();
    assertThat(AccessKey.of("k-alice").matches(twoKeys.apiKey(), twoKeys.authorization())).isFalse();
    assertThat(read("Authorization", "Bearer k-alice", "Authorization", "Bearer k-bob"))
        .isEqualTo(new PresentedKey(null, ""));
    assertThat(read("X-API-Key", "k-alice", "X-API-Key", "k-alice ")).as("compared as sent, not trimmed")
        .isEqualTo(new PresentedKey("", null));
  }

  @Test
  void bothHeadersAreKeptForAccessKeyToChooseFrom() {
    PresentedKey both = read("X-API-Key", "k-alice", "Authorization", "Bearer k-bob");
    assertThat(both).isEqualTo(new PresentedKey("k-alice", "Bearer k-bob"));
    assertThat(AccessKey.of("k-alice").matches(both.apiKey(), both.authorization())).isTrue();
    assertThat(AccessKey.of("k-bob").matches(both.apiKey(), both.authorization())).isFalse();
  }

  @Test
  void offeredOnlyWithACredentialHeader() {
    assertThat(read().offered()).isFalse();
    assertThat(read("Cookie", "reliapi_admin=abc").offered()).isFalse();
    assertThat(read("Authorization", "Basic a2V5").offered()).as("a Basic-auth proxy's credentials").isFalse();
    assertThat(read("Authorization", "bearer k").offered()).isTrue();
    assertThat(read("Authorization", "Bearer k-alice", "Authorization", "Bearer k-bob").offered()).isTrue();
    assertThat(read("X-API-Key", "").offered()).isTrue();
  }

  private static PresentedKey read(String... headers) {
    MultiMap map = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < headers.length; i += 2) {
      map.add(headers[i], headers[i + 1]);
    }
    return PresentedKey.of(map);
  }
}
