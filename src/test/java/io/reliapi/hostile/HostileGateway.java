package io.reliapi.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.LogCapture;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.TestYaml;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One real gateway in front of one mock upstream for a whole hostile-input test class, configured with
 * recognisable secrets, a small deadline and small bodies, and capturing every log line. The checks here
 * are the properties every answer and every log line must have, whatever the input.
 */
final class HostileGateway implements AutoCloseable {
  /** Every secret contains this word, so one search finds any of them. */
  static final String CANARY = "CANARY";
  static final String CLIENT_KEY = "client-key-CANARY-0c1";
  static final int DEADLINE_MS = 2000;
  static final int TIMEOUT_MS = 1000;
  static final int MAX_BODY_BYTES = 65536;
  /** How long an answer may take beyond the deadline on a busy machine before it counts as a hang. */
  static final int SLACK_MS = 3000;
  /** Java class names and stack frames, as they would appear if a failure were printed. */
  private static final Pattern JAVA_NAME = Pattern.compile(
      "\\b(java|javax|jdk|sun|io\\.vertx|io\\.netty|com\\.fasterxml|io\\.reliapi)\\.[a-z][\\w.]*\\.[A-Z]\\w*"
          + "|\\b[A-Z]\\w*(Exception|Error|Throwable)\\b|\\tat |\\.java:\\d+");

  final MockUpstream up;
  final GatewayHarness gateway;
  final LogCapture logs;
  private int linesChecked;

  private HostileGateway(MockUpstream up, GatewayHarness gateway, LogCapture logs) {
    this.up = up;
    this.gateway = gateway;
    this.logs = logs;
  }

  /**
   * Starts the gateway. Its breakers are off: a property feeds many hostile answers in a row, and a breaker they
   * opened would refuse the valid ones that follow (which jqwik's random order made a rare failure).
   */
  static HostileGateway start() {
    LogCapture logs = LogCapture.capture();
    MockUpstream up = MockUpstream.start();
    GatewayHarness gateway = GatewayHarness.yaml("""
        server: {deadline_ms: %2$d, max_body_bytes: %3$d}
        default_llm_target: openai
        clients:
          - {name: hostile, key_env: HOSTILE_KEY}
        targets:
          api:
            base_url: "%1$s/base"
            timeout_ms: %4$d
            %5$s
            circuit: {enabled: false}
            auth: {type: bearer_env, env_var: API_SECRET}
            cache: {ttl_s: 60}
          openai:
            base_url: "%1$s/v1"
            timeout_ms: %4$d
            %5$s
            circuit: {enabled: false}
            auth: {type: bearer_env, env_var: OPENAI_SECRET}
            llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 64, hard_cost_cap_usd: 0.5}
          claude:
            base_url: "%1$s/v1"
            timeout_ms: %4$d
            %5$s
            circuit: {enabled: false}
            auth: {type: bearer_env, env_var: ANTHROPIC_SECRET}
            llm: {provider: anthropic, default_model: claude-haiku-4-5, max_tokens: 64}
        """.formatted(up.baseUrl(), DEADLINE_MS, MAX_BODY_BYTES, TIMEOUT_MS, TestYaml.NO_RETRIES))
        .env("HOSTILE_KEY", CLIENT_KEY)
        .env("API_SECRET", "upstream-CANARY-7d2")
        .env("OPENAI_SECRET", "sk-openai-CANARY-91f")
        .env("ANTHROPIC_SECRET", "sk-ant-CANARY-4e8")
        .start();
    HostileGateway hostile = new HostileGateway(up, gateway, logs);
    hostile.answerEverything();
    return hostile;
  }

  /** Every route of the mock answers at once with a valid answer that echoes nothing of the request's head. */
  void answerEverything() {
    up.reset();
    up.otherwise("POST /v1/chat/completions", LlmBehaviors.openAi("gpt-4o-mini", "Hello", 5, 1));
    up.otherwise("POST /v1/messages", LlmBehaviors.anthropic("claude-haiku-4-5", "Bonjour", 5, 1));
    up.otherwise("* *", call -> Behavior.json(200, "{\"ok\": true, \"path\": "
        + io.vertx.core.json.Json.encode(call.recorded().uri()) + "}").respond(call));
  }

  int port() {
    return gateway.port();
  }

  /** The mock upstream's address, which must never reach a client or a log. */
  String upstreamAddress() {
    return "127.0.0.1:" + up.port();
  }

  long waitMs() {
    return DEADLINE_MS + SLACK_MS;
  }

  /** Checks what no answer may contain or do: hang, leak a secret, the upstream's address or a Java name. */
  void assertSafe(RawClient.Answer answer) {
    assertThat(answer.hung()).as("answered within the deadline (%d ms + slack)", DEADLINE_MS).isFalse();
    assertThat(answer.elapsedMs()).isLessThanOrEqualTo(waitMs());
    String all = answer.all();
    assertThat(all).doesNotContain(CANARY).doesNotContain(upstreamAddress());
    assertThat(JAVA_NAME.matcher(all).find()).as("a Java name or stack frame in %s", all).isFalse();
  }

  /** Checks the log lines written since the last check: no secret, upstream address, Java name or internal error. */
  synchronized void assertLogsSafe() {
    List<String> lines = logs.lines();
    List<String> fresh = lines.subList(Math.min(linesChecked, lines.size()), lines.size());
    linesChecked = lines.size();
    for (String line : fresh) {
      // Logger names are class names by convention; they say where a line comes from, not what failed.
      line = line.replaceFirst("\"logger\":\"[^\"]*\"", "");
      assertThat(line).doesNotContain(CANARY).doesNotContain(upstreamAddress())
          .doesNotContain("\"logger\":\"reliapi.internal\"")
          .doesNotContain("an internal failure was suppressed");
      assertThat(JAVA_NAME.matcher(line).find()).as("a Java name or stack frame in the log line %s", line).isFalse();
    }
  }

  /** Standard request head lines every hostile request carries (authenticated, closing). */
  /** Sends {@code body} as a JSON POST to {@code path}, authenticated, with {@code more} headers. */
  RawClient.Answer post(String path, byte[] body, Map<String, String> more) {
    Map<String, String> headers = new java.util.LinkedHashMap<>(more);
    headers.putIfAbsent("Content-Type", "application/json");
    return RawClient.send(port(), RawClient.head("POST " + path + " HTTP/1.1", baseHeaders(body.length, headers)), body,
        waitMs());
  }

  static List<byte[]> baseHeaders(int bodyLength, Map<String, String> more) {
    List<byte[]> lines = new java.util.ArrayList<>();
    lines.add(RawClient.line("Host: 127.0.0.1"));
    lines.add(RawClient.line("X-API-Key: " + CLIENT_KEY));
    lines.add(RawClient.line("Connection: close"));
    lines.add(RawClient.line("Content-Length: " + bodyLength));
    more.forEach((name, value) -> lines.add(RawClient.line(name + ": " + value)));
    return lines;
  }

  @Override
  public void close() {
    gateway.close();
    up.close();
    logs.close();
  }
}
