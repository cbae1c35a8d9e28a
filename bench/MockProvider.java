import io.vertx.core.Vertx;

/**
 * A stand-in OpenAI provider for the LLM benchmark: answers every chat completion after a fixed delay with
 * the same small completion. Run as a single-file program on the gateway's jar (it has Vert.x):
 *   java -cp target/reliapi.jar bench/MockProvider.java PORT DELAY_MS
 */
public class MockProvider {
  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    long delayMs = Long.parseLong(args[1]);
    String body = """
        {"id":"chatcmpl-bench","object":"chat.completion","created":1764244800,"model":"gpt-4o-mini",
         "choices":[{"index":0,"message":{"role":"assistant","content":"Hello! How can I help you today?"},
         "finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":9,"total_tokens":21}}""";
    Vertx vertx = Vertx.vertx();
    vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> vertx.setTimer(delayMs, t ->
        req.response().putHeader("Content-Type", "application/json").end(body))))
        .listen(port, "127.0.0.1");
  }
}
