package io.reliapi.llm.attempt;

import io.reliapi.config.LlmFaultRules.StreamCommit;
import io.reliapi.config.TargetConfig;
import io.reliapi.http.Answer;
import io.reliapi.http.Body;
import io.reliapi.http.HeaderNames;
import io.reliapi.http.Headers;
import io.reliapi.http.Reply;
import io.reliapi.llm.Bodies;
import io.reliapi.llm.ChatAnswer;
import io.reliapi.llm.ChatCompletion;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.ChatStream;
import io.reliapi.llm.Completion;
import io.reliapi.llm.NativeStream;
import io.reliapi.llm.ParsedAnswer;
import io.reliapi.llm.Provider;
import io.reliapi.llm.ProtocolItems;
import io.reliapi.llm.ProviderStreamError;
import io.reliapi.llm.StreamDecoder;
import io.reliapi.pipeline.RequestContext;
import io.reliapi.pipeline.TrailEntry;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Turns one provider answer into the attempt's reply. Any provider status is a reply with that status (its body
 * read, its {@code Retry-After} kept); a 2xx answer that cannot be understood is UPSTREAM_INVALID_RESPONSE. A
 * stream is held until its commit point (the request's stream commit mode: the first event, the first content
 * token, or the whole answer) and handed on only then, so every fault before it can still be retried or fall
 * back, invisibly to the client; an error event before it becomes an error reply.
 */
final class ProviderAnswers {
  /** Enough of an error body to read the provider's error type. */
  private static final long MAX_ERROR_BYTES = 64 * 1024;
  /** The provider's fields an LLM route's client gets (any case): the content type and its rate-limit news. */
  private static final Set<String> KEPT = HeaderNames.of("content-type", "retry-after", "retry-after-ms");
  private static final List<String> KEPT_PREFIXES =
      List.of("x-ratelimit-", "anthropic-ratelimit-", "ratelimitbysize-", "x-ratelimitbysize-");

  private final Provider provider;
  private final ChatRequest request;
  private final AttemptPricing pricing;
  private final long maxResponseBytes;
  private final long createdEpochS;

  ProviderAnswers(Provider provider, ChatRequest request, AttemptPricing pricing, long maxResponseBytes,
      long createdEpochS) {
    this.provider = provider;
    this.request = request;
    this.pricing = pricing;
    this.maxResponseBytes = maxResponseBytes;
    this.createdEpochS = createdEpochS;
  }

  /** Reads {@code reply}; {@code limits} and {@code context} bound a stream's time and let a hang-up end it. */
  Future<Reply> read(Reply reply, StreamLimits limits, TargetConfig target, RequestContext context) {
    // A raw route's client gets the provider's headers as any raw answer's, but its cookies; the LLM routes only a few.
    Headers passed = request.answeredAsIs() ? reply.headers().withoutNames(COOKIES::contains) : kept(reply.headers());
    Headers headers = provider.normalize(reply.status(), passed);
    if (reply.status() < 200 || reply.status() >= 300) {
      return Bodies.read(reply.body(), MAX_ERROR_BYTES, true)
          .map(bytes -> new Reply(reply.status(), headers, Body.of(bytes)));
    }
    String type = reply.headers().get("content-type");
    if (reply.body() instanceof Body.Stream stream && type != null
        && type.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
      return stream(stream, headers, limits, target, context);
    }
    // A provider that ignored stream: true answers whole; the route then streams that answer itself.
    return Bodies.read(reply.body(), maxResponseBytes, false, context.buffered()).map(bytes -> whole(reply.status(), headers, bytes));
  }

  /**
   * Reads a whole answer and settles its cost. The LLM routes get it in its canonical form (with the usage the
   * gateway counted, where the provider reported none); a raw route's client gets the provider's bytes.
   */
  private Reply whole(int status, Headers headers, Buffer bytes) {
    ParsedAnswer parsed = provider.complete(bytes, createdEpochS);
    // Decided once, here: the client's protocol's items are kept, any other's are their text (in the text already).
    Completion shown = ProtocolItems.shownIn(request.askedIn(), parsed.completion());
    Completion answer = pricing.whole(shown, parsed.billedOutput(), parsed.outputReported());
    Optional<Answer> attached = Optional.of(new ChatAnswer.Whole(answer));
    if (request.answeredAsIs()) {
      return new Reply(status, headers, Body.of(bytes), attached);
    }
    // The provider's own form where nothing was taken out of it (OpenAI's bytes), and its usage where the gateway
    // settled on the one it reported (the same object); else the usage the gateway counted.
    Buffer json = answer.usage() != shown.usage() ? ChatCompletion.bytes(ChatCompletion.write(answer, createdEpochS))
        : shown == parsed.completion() ? parsed.json() : ChatCompletion.bytes(ChatCompletion.write(shown, createdEpochS));
    return new Reply(status, headers.with("Content-Type", "application/json"), Body.of(json), attached);
  }

  /**
   * Reads a stream through a {@link ChatStream}, which settles its usage when it ends. A raw route's client
   * reads the provider's own bytes beside it ({@link NativeStream}); the LLM routes read the chat stream.
   */
  private Future<Reply> stream(Body.Stream body, Headers headers, StreamLimits limits,
      TargetConfig target, RequestContext context) {
    NativeStream tee = request.answeredAsIs()
        ? new NativeStream(body.source(), provider.withheld(request), maxResponseBytes, context.buffered()) : null;
    StreamDecoder decoder = provider.decoder(createdEpochS);
    StreamCommit commit = request.streamCommit().orElseGet(() ->
        target.llm().map(llm -> llm.faults().streamCommit()).orElse(StreamCommit.FIRST_TOKEN));
    ChatStream stream = new ChatStream(tee == null ? body.source() : tee.providerSide(), body.abort(), decoder,
        (whole, assembled) -> pricing.streamed(whole, decoder.promptReported(), assembled, decoder.billedOutput(),
            decoder.outputReported()),
        maxResponseBytes, commit);
    stream.bufferedIn(context.buffered());
    if (tee != null) {
      tee.readBy(stream);
    }
    stream.askedIn(request.askedIn());
    stream.onFaultAfterFinish(fault -> context.trace().note(
        new TrailEntry.StreamCutAfterFinish(target.name(), fault.code().name())));
    Runnable cancel = tee == null ? stream::cancel : () -> {
      stream.cancel();
      tee.abandon();
    };
    stream.onTerminal(context.cancellation().onCancel(cancel));
    limits.apply(stream, target, context);
    return stream.start().transform(started -> {
      if (started.succeeded()) {
        Body out = tee == null ? Body.EMPTY : new Body.Stream(tee.clientSide(), -1, cancel);
        Headers passed = tee == null ? headers : headers.withoutNames(name -> name.equalsIgnoreCase("content-length"));
        return Future.succeededFuture(new Reply(200, passed, out, Optional.of(new ChatAnswer.Streaming(stream))));
      }
      if (tee != null) {
        tee.abandon(); // nobody will read what it queued: given back now, not counted while a retry or fallback runs
      }
      if (started.cause() instanceof ProviderStreamError error) {
        // What the held stream carried before the provider's error is billed: the reply costs it, so budgets
        // settle it rather than 0.
        Answer spent = stream::cost;
        return Future.succeededFuture(new Reply(error.status(), headers.with("Content-Type", "application/json"),
            Body.of(Buffer.buffer(error.body())), Optional.of(spent)));
      }
      return Future.failedFuture(started.cause());
    });
  }

  /**
   * The provider's cookies (OpenAI's Cloudflare {@code __cf_bm}) belong to the gateway's own connections to it: a
   * client never talks to the provider, and an answer with {@code Set-Cookie} is never cached, so raw chat answers
   * would never be.
   */
  private static final Set<String> COOKIES = HeaderNames.of("set-cookie", "set-cookie2");

  /**
   * Keeps the provider headers worth passing on: the content type, {@code Retry-After} (retries read it) and
   * the rate-limit headers of the known providers. Everything else (cookies, organisation ids, tracing
   * headers) stays behind the gateway.
   */
  static Headers kept(Headers headers) {
    return headers.withoutNames(name -> !(KEPT.contains(name) || keptPrefix(name)));
  }

  private static boolean keptPrefix(String name) {
    for (String prefix : KEPT_PREFIXES) {
      if (name.regionMatches(true, 0, prefix, 0, prefix.length())) {
        return true;
      }
    }
    return false;
  }
}
