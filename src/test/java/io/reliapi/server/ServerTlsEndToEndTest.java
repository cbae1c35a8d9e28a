package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.LogCapture;
import io.reliapi.testing.MetricSamples;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.RawConnection;
import io.reliapi.testing.TestCertificates;
import io.reliapi.testing.TestHttp;
import io.reliapi.testing.TestYaml;
import io.reliapi.testing.TlsClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway's own listener over TLS ({@code server.tls}) on real sockets, with a test CA made for the run: every kind
 * of route answers over HTTPS as over HTTP, a client that does not trust the certificate is refused, a plain-HTTP
 * request to the TLS port and a TLS client at a plain port fail cleanly and log nothing, and handshake failures are
 * counted by reason.
 */
class ServerTlsEndToEndTest {
  static final String CHAT = "POST /v1/chat/completions";
  static final List<String> EVENTS = LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("Hel", "lo"), 9, 2);
  static Path dir;
  static TestCertificates certs;
  static TestCertificates stranger;
  static MockUpstream up;
  static GatewayHarness gw;
  static TestHttp https;

  @BeforeAll
  static void start() throws IOException {
    dir = Files.createTempDirectory("reliapi-server-tls-e2e");
    certs = TestCertificates.create(dir.resolve("ca"));
    stranger = TestCertificates.create(dir.resolve("stranger"));
    up = MockUpstream.start();
    gw = GatewayHarness.yaml("""
        server:
          max_body_bytes: 1000
          ops_key_env: OPS_KEY
          tls: {cert_file: "%1$s", key_file: "%2$s"}
        admin: {keys_env: ADMIN_KEYS}
        clients:
          - {name: app, key_env: APP_KEY}
        targets:
          api: {base_url: "%3$s"}
          openai:
            base_url: "%3$s/v1"
            %4$s
            llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100, stream_keepalive_s: 1}
        """.formatted(certs.serverCert(), certs.serverKey(), up.baseUrl(), TestYaml.NO_RETRIES))
        .env("OPS_KEY", "ops-secret").env("ADMIN_KEYS", "admin-a").env("APP_KEY", "k-app").start();
    https = TlsClient.trusting(certs.caCert()).to(gw.port());
  }

  @AfterAll
  static void stop() {
    gw.close();
    up.close();
  }

  @BeforeEach
  void clean() {
    up.reset();
  }

  @Test
  void everyKindOfRouteAnswersOverHttps() {
    assertThat(https.get("/healthz").status()).isEqualTo(200);
    assertThat(https.get("/metrics").status()).as("ops_key_env still guards /metrics").isEqualTo(401);
    assertThat(https.get("/metrics", "X-API-Key", "ops-secret").body()).contains("reliapi_client_connections");

    up.script("POST /echo", Behavior.echo());
    var echoed = https.post("/t/api/echo", "{\"a\":1}", "X-API-Key", "k-app", "Content-Type", "application/json");
    assertThat(echoed.status()).isEqualTo(200);
    assertThat(echoed.json().path("body").asText()).isEqualTo("{\"a\":1}");
    assertThat(https.post("/t/api/echo", "{}", "Content-Type", "application/json").status())
        .as("mTLS is not asked for here, and the API key still names the client").isEqualTo(401);
    var tooBig = https.post("/t/api/echo", "x".repeat(2000), "X-API-Key", "k-app");
    assertThat(tooBig.status()).isEqualTo(413);

    up.script(CHAT, LlmBehaviors.openAi("gpt-4o-mini", "hi", 5, 1));
    var chat = https.post("/v1/chat/completions", "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        "Authorization", "Bearer k-app", "Content-Type", "application/json");
    assertThat(chat.status()).as(chat.body()).isEqualTo(200);
    assertThat(chat.json().path("choices").get(0).path("message").path("content").asText()).isEqualTo("hi");

    assertThat(https.get("/admin/targets", "X-API-Key", "admin-a").status()).isEqualTo(200);
    var login = https.get("/ui?key=admin-a");
    assertThat(login.status()).isEqualTo(303);
    assertThat(login.header("Set-Cookie")).as("the session cookie is Secure on an HTTPS listener").contains("Secure");
  }

  @Test
  void aStreamCrossesTlsWithItsKeepAliveCommentsAndEndsWhole() throws Exception {
    CompletableFuture<Void> gate = new CompletableFuture<>();
    up.script(CHAT, LlmBehaviors.sseGated(EVENTS.subList(0, 1), gate, EVENTS.subList(1, EVENTS.size()), false));
    HttpRequest request = https.builder("/v1/chat/completions", "Authorization", "Bearer k-app",
            "Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build();
    HttpResponse<java.io.InputStream> response = TlsClient.trusting(certs.caCert()).http()
        .send(request, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    StringBuilder seen = new StringBuilder();
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        seen.append(line).append('\n');
        if (line.startsWith(": keep-alive")) {
          gate.complete(null);
        }
      }
    }
    assertThat(seen.toString()).contains(": keep-alive").contains("\"content\":\"Hel\"").contains("\"content\":\"lo\"")
        .endsWith("data: [DONE]\n\n");
  }

  @Test
  void theOpenAiSdkTalksToTheGatewayOverHttpsWithTheTestCaAsItsTrustStore() {
    TlsClient tls = TlsClient.trusting(certs.caCert());
    OpenAIClient sdk = OpenAIOkHttpClient.builder().baseUrl(https.url("/v1")).apiKey("k-app").maxRetries(0)
        .timeout(Duration.ofSeconds(10)).sslSocketFactory(tls.context().getSocketFactory())
        .trustManager(tls.trustManager()).build();
    up.script(CHAT, LlmBehaviors.openAi("gpt-4o-mini", "hi there", 5, 2));
    ChatCompletion completion = sdk.chat().completions().create(ChatCompletionCreateParams.builder()
        .model("openai/gpt-4o-mini").addUserMessage("Hello").build());
    assertThat(completion.choices().getFirst().message().content()).contains("hi there");

    up.script(CHAT, LlmBehaviors.sse(EVENTS, 2));
    StringBuilder text = new StringBuilder();
    try (StreamResponse<ChatCompletionChunk> stream = sdk.chat().completions().createStreaming(
        ChatCompletionCreateParams.builder().model("openai/gpt-4o-mini").addUserMessage("Hello").build())) {
      stream.stream().forEach(chunk -> chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append)));
    }
    assertThat(text.toString()).isEqualTo("Hello");
  }

  @Test
  void aClientThatDoesNotTrustTheCertificateIsRefusedAndTheFailureCounted() {
    double before = handshakeFailures("closed");
    assertThatThrownBy(() -> TlsClient.trusting(stranger.caCert()).to(gw.port()).get("/healthz"))
        .hasCauseInstanceOf(SSLHandshakeException.class);
    HttpClient jvmDefaults = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    assertThatThrownBy(() -> new TestHttp("https://127.0.0.1:" + gw.port(), jvmDefaults).get("/healthz"))
        .as("the JVM's CAs do not know the test CA").isInstanceOf(UncheckedIOException.class);
    await().atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(handshakeFailures("closed")).isGreaterThanOrEqualTo(before + 2));
  }

  @Test
  void plainHttpToTheTlsPortIsClosedWithoutAnAnswerCountedAndNotLogged() {
    try (LogCapture logs = LogCapture.capture(); RawConnection plain = RawConnection.open(gw.port(), 5_000)) {
      plain.write("GET /healthz?secret=s3cr3t HTTP/1.1\r\nHost: x\r\nX-API-Key: k-app\r\n\r\n");
      assertThat(plain.closedByServer()).isTrue();
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
          metrics().value("reliapi_tls_handshake_failures_total", "reason", "not_tls"))
          .isGreaterThanOrEqualTo(1));
      assertThat(logs.all()).doesNotContain("s3cr3t", "k-app", "Exception", "\tat ");
    }
  }

  @Test
  void aTlsClientAtAPlainPortFailsCleanlyAndNothingIsLogged() {
    try (GatewayHarness plain = GatewayHarness.yaml("targets: {api: {base_url: '" + up.baseUrl() + "'}}").start();
        LogCapture logs = LogCapture.capture()) {
      assertThatThrownBy(() -> TlsClient.trusting(certs.caCert()).to(plain.port()).get("/healthz"))
          .isInstanceOf(UncheckedIOException.class);
      assertThat(plain.http.get("/healthz").status()).isEqualTo(200);
      assertThat(logs.all()).doesNotContain("Exception", "\tat ");
    }
  }

  private static MetricSamples metrics() {
    return MetricSamples.scrape(https, "X-API-Key", "ops-secret");
  }

  private static double handshakeFailures(String reason) {
    return metrics().value("reliapi_tls_handshake_failures_total", "reason", reason);
  }
}
