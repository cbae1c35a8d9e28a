package io.reliapi.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CredentialHeadersTest {
  @Test
  void knownIdentityAndCredentialLikeNamesAreCredentials() {
    for (String name : new String[] {"authorization", "proxy-authorization", "cookie", "x-api-key", "api-key",
        "x-goog-api-key", "remote-user", "x-remote-user", "x-forwarded-user", "x-user-id", "x-tenant-id",
        "x-auth-token", "x-session-id", "x-amz-security-token", "x-client-secret", "x-signature"}) {
      assertThat(CredentialHeaders.isCredential(name)).as(name).isTrue();
    }
  }

  @Test
  void otherNamesAndIdempotencyKeysAreNot() {
    for (String name : new String[] {"idempotency-key", "x-idempotency-key", "idempotency_key", "content-type",
        "user-agent", "x-trace", "x-customer", "accept", "x-request-id"}) {
      assertThat(CredentialHeaders.isCredential(name)).as(name).isFalse();
    }
  }

  @Test
  void aClientsCredentialIsNamedByAWordThatSaysSo() {
    for (String name : new String[] {"authorization", "x-api-key", "api-key", "x-user-id", "x-auth-token",
        "x-upstream-token", "x-session-token", "x-amz-security-token", "x-signature", "x-hub-signature-256",
        "x-client-secret", "x-auth-session-id", "x-auth-conversation-id", "x-sessiontoken", "x-apikey",
        "x-access-key", "key", "x-password", "x-credentials", "x-authentication"}) {
      assertThat(CredentialHeaders.isClientCredential(name)).as(name).isTrue();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "x-authenticated-user", "x-authenticated-userid", "x-goog-authenticated-user-email", "x-jwt-assertion",
      "x-authkey", "x-accesskey", "x-secretkey", "x-appkey", "x-privatekey", "x-clientkey",
      "x-session-key"}) // kept: many APIs authenticate a session by its key
  void namesTheWordRuleMissedAreClientCredentialsAndCountForTheCache(String name) {
    // Found in review: each was no client credential, so a refusal of it ejected the deployment for everyone.
    assertThat(CredentialHeaders.isClientCredential(name)).isTrue();
    assertThat(CredentialHeaders.isCredential(name)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"openai-organization", "openai-project"})
  void openAisOrganizationAndProjectCountForTheCacheButAreNoClientCredential(String name) {
    // Found in review: counted as the client's credential, they kept a revoked gateway key from ejecting anything.
    assertThat(CredentialHeaders.isCredential(name)).isTrue();
    assertThat(CredentialHeaders.isAccountChoice(name)).isTrue();
    assertThat(CredentialHeaders.isClientCredential(name)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"sec-websocket-key", "x-request-key", "x-portkey-trace-id", "x-hotkey", "x-monkey"})
  void aKeyThatNamesAHandshakeOrARequestIsNoClientsCredential(String name) {
    assertThat(CredentialHeaders.isClientCredential(name)).isFalse();
  }

  @Test
  void aNameThatOnlyMentionsASessionOrAKeyIsNoClientsCredential() {
    for (String name : new String[] {"x-session-affinity", "helicone-session-path", "x-portkey-config",
        "x-prompt-cache-key", "prompt_cache_key", "idempotency_key", "idempotency-key", "x-idempotency-key",
        "session_id", "x-session-id", "x-claude-code-session-id", "x-sessionid", "x-conversation-id",
        "content-type", "x-request-id"}) {
      assertThat(CredentialHeaders.isClientCredential(name)).as(name).isFalse();
    }
  }

  @Test
  void addsChosenHeadersInNameOrderWithTheirValuesJoinedAndNothingWithoutThem() {
    Headers headers = Headers.of("Cookie", "a=1", "X-Trace", "t", "authorization", "Bearer x", "cookie", "b=2");
    String added = digest(headers);
    assertThat(added).isEqualTo(new Digest().add("authorization").add("Bearer x").add("cookie").add("a=1, b=2").hex());
    assertThat(digest(Headers.of("X-Trace", "t"))).isEqualTo(new Digest().hex());
  }

  @Test
  void addsOnlyTheChosenHeadersThatReachTheUpstream() {
    Headers headers = Headers.of("Proxy-Authorization", "Basic x", "Connection", "X-Session-Id", "X-Session-Id", "s",
        "Cookie", "a=1");
    assertThat(digest(headers)).isEqualTo(new Digest().add("cookie").add("a=1").hex());
    assertThat(CredentialHeaders.forwardsAny(headers, "x-session-id"::equals)).isFalse();
    assertThat(CredentialHeaders.forwardsAny(headers, "cookie"::equals)).isTrue();
  }

  private static String digest(Headers headers) {
    Digest digest = new Digest();
    CredentialHeaders.addNamed(digest, headers, CredentialHeaders::isCredential);
    return digest.hex();
  }
}
