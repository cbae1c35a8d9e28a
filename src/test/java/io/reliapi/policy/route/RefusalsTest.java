package io.reliapi.policy.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.http.HeaderNames;
import io.reliapi.http.Headers;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class RefusalsTest {
  private static final Set<String> BEARER = HeaderNames.of("Authorization");
  private static final URI LOCAL = URI.create("http://127.0.0.1:8080/v1");

  @Test
  void onlyA401402403Or429IsARefusal() {
    for (int status : new int[] {401, 402, 403, 429}) {
      assertThat(Refusals.isRefusal(status)).as("%d", status).isTrue();
    }
    for (int status : new int[] {200, 201, 400, 404, 500, 503, 529}) {
      assertThat(Refusals.isRefusal(status)).as("%d", status).isFalse();
    }
  }

  @Test
  void aCredentialHeaderTheDeploymentsOwnReplacesIsNotTheClients() {
    assertThat(Refusals.clientCredential(Headers.of("authorization", "Bearer theirs"), BEARER)).isFalse();
    assertThat(Refusals.clientCredential(Headers.of("Accept", "*/*"), BEARER)).isFalse();
  }

  @Test
  void aCredentialHeaderTheDeploymentsOwnLeavesInPlaceIsTheClientsWhateverItsCase() {
    assertThat(Refusals.clientCredential(Headers.of("COOKIE", "session=1"), BEARER)).isTrue();
    assertThat(Refusals.clientCredential(Headers.of("Authorization", "Bearer theirs"), HeaderNames.of("api-key")))
        .isTrue();
    assertThat(Refusals.clientCredential(Headers.of("Api-Key", "theirs"), Set.of())).isTrue();
  }

  @Test
  void identityHeadersAreTheClientsToo() {
    for (String name : new String[] {"X-User-Id", "Remote-User", "X-Tenant-Id"}) {
      assertThat(Refusals.clientCredential(Headers.of(name, "theirs"), BEARER)).as(name).isTrue();
    }
    assertThat(Refusals.clientCredential(Headers.of("X-Idempotency-Key", "k", "X-Trace", "t"), BEARER)).isFalse();
  }

  @Test
  void aCustomCredentialHeaderIsTheClientsToo() {
    for (String name : new String[] {"X-Auth-Token", "X-Upstream-Token", "X-Session-Token", "X-Client-Secret"}) {
      assertThat(Refusals.clientCredential(Headers.of(name, "theirs"), BEARER)).as(name).isTrue();
    }
  }

  @Test
  void aSessionOrConversationIdDoesNotKeepTheDeploymentInService() {
    for (String name : new String[] {"session_id", "x-claude-code-session-id", "X-Session-Id", "X-SessionId"}) {
      assertThat(Refusals.clientCredential(Headers.of(name, "s1"), BEARER)).as(name).isFalse();
    }
    assertThat(Refusals.clientCredential(Headers.of("session_id", "s1", "X-Api-Key", "theirs"), BEARER)).isTrue();
  }

  @Test
  void aCredentialThatStopsAtThisHopNeverReachedTheDeployment() {
    assertThat(Refusals.clientCredential(Headers.of("Proxy-Authorization", "Basic x"), BEARER)).isFalse();
    assertThat(Refusals.clientCredential(Headers.of("Connection", "cookie", "Cookie", "s=1"), BEARER)).isFalse();
  }

  @Test
  void onlyARefusalOfTheGatewaysOwnCredentialEjects() {
    assertThat(Refusals.ejectionReason(401, false, true, false)).isEqualTo("unauthorized");
    assertThat(Refusals.ejectionReason(402, false, true, false)).isEqualTo("payment_required");
    assertThat(Refusals.ejectionReason(401, true, false, false)).as("no credential of its own").isNull();
    assertThat(Refusals.ejectionReason(401, true, true, true)).as("the client's credential").isNull();
    assertThat(Refusals.ejectionReason(500, true, true, false)).isNull();
  }

  @Test
  void a403EjectsOnlyOnAnLlmTarget() {
    assertThat(Refusals.ejectionReason(403, true, true, false)).isEqualTo("forbidden");
    assertThat(Refusals.ejectionReason(403, false, true, false)).isNull();
  }

  @Test
  void a429CoolsDownUnlessItLimitedTheClientsOwnCredential() {
    assertThat(Refusals.coolsDown(false)).isTrue();
    assertThat(Refusals.coolsDown(true)).isFalse();
  }

  @Test
  void theOrganizationAndProjectChooseAnAccountButAreNoClientCredential() {
    for (String name : new String[] {"OpenAI-Organization", "OpenAI-Project"}) {
      Headers sent = Headers.of(name, "org-theirs");
      assertThat(Refusals.clientCredential(sent, BEARER)).as(name).isFalse();
      assertThat(Refusals.choseAccount(sent, BEARER, LOCAL)).as(name).isTrue();
      assertThat(Refusals.choseAccount(sent, HeaderNames.of("Authorization", name), LOCAL)).as(name).isFalse();
    }
    assertThat(Refusals.choseAccount(Headers.of("Authorization", "Bearer theirs"), BEARER, LOCAL)).isFalse();
  }

  /**
   * Found in review: Azure OpenAI chooses no account by these headers, and its revoked-key 401 says code "401", never
   * invalid_api_key, so a client sending them kept a revoked Azure deployment in service.
   */
  @Test
  void atAzureOpenAiTheHeadersChooseNoAccount() {
    Headers sent = Headers.of("OpenAI-Organization", "org-theirs");
    assertThat(Refusals.choseAccount(sent, BEARER, URI.create("https://res.openai.azure.com/openai"))).isFalse();
    assertThat(Refusals.choseAccount(sent, BEARER, URI.create("https://res.cognitiveservices.azure.com"))).isFalse();
    assertThat(Refusals.choseAccount(sent, BEARER, URI.create("https://api.openai.com/v1"))).isTrue();
  }

  @Test
  void onlyAnInvalidApiKeyCodePlainlyRefusesTheKey() {
    assertThat(Refusals.refusesKey(error("invalid_api_key"))).isTrue();
    for (String code : new String[] {"mismatched_organization", "mismatched_project", "invalid_organization",
        "insufficient_quota", "a_code_added_later", ""}) {
      assertThat(Refusals.refusesKey(error(code))).as(code).isFalse();
    }
    assertThat(Refusals.refusesKey(Buffer.buffer("<html>invalid_api_key</html>"))).isFalse();
    assertThat(Refusals.refusesKey(Buffer.buffer())).isFalse();
  }

  @Test
  void aRefusalIsLeftUnreadOnlyWhenItStatesALengthOverTheBound() {
    assertThat(Refusals.statedLonger(Headers.of("Content-Length", "220"), 65536)).isFalse();
    assertThat(Refusals.statedLonger(Headers.of("content-length", "65536"), 65536)).isFalse();
    assertThat(Refusals.statedLonger(Headers.of("Content-Length", "65537"), 65536)).isTrue();
    assertThat(Refusals.statedLonger(Headers.of("Content-Length", "x"), 65536)).isTrue();
    assertThat(Refusals.statedLonger(Headers.of("Transfer-Encoding", "chunked"), 65536)).as("read up to the bound")
        .isFalse();
  }

  @Test
  void aGzippedRefusalIsDecodedWithinTheBoundAndOtherEncodingsAreNot() throws IOException {
    Buffer plain = error("invalid_api_key");
    assertThat(Refusals.decoded(Headers.empty(), plain, 65536)).isEqualTo(plain);
    assertThat(Refusals.decoded(Headers.of("Content-Encoding", "identity"), plain, 65536)).isEqualTo(plain);
    assertThat(Refusals.decoded(Headers.of("Content-Encoding", "GZIP"), gzip(plain.getBytes()), 65536))
        .isEqualTo(plain);
    assertThat(Refusals.decoded(Headers.of("Content-Encoding", "br"), plain, 65536)).isNull();
    assertThat(Refusals.decoded(Headers.of("Content-Encoding", "gzip"), plain, 65536)).as("not gzip").isNull();
    Buffer bomb = gzip(new byte[65537]);
    assertThat(bomb.length()).isLessThan(1024);
    assertThat(Refusals.decoded(Headers.of("Content-Encoding", "gzip"), bomb, 65536)).as("inflates past the bound")
        .isNull();
  }

  private static Buffer gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
      zip.write(bytes);
    }
    return Buffer.buffer(out.toByteArray());
  }

  private static Buffer error(String code) {
    return Buffer.buffer("{\"error\":{\"message\":\"m\",\"type\":\"invalid_request_error\",\"code\":\"" + code
        + "\"}}");
  }
}
