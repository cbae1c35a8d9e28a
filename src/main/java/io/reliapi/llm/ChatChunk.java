package io.reliapi.llm;

/**
 * One piece of a streamed completion.
 *
 * @param json         the piece as an OpenAI {@code chat.completion.chunk} object (the provider's own text
 *                     for OpenAI-protocol providers, a translation for others)
 * @param text         the text it adds to the answer, possibly empty
 * @param finishReason the finish reason it announces (OpenAI's words), or null
 * @param usageOnly    whether it is the final usage chunk without choices, which OpenAI sends only to
 *                     clients that asked for {@code stream_options.include_usage}
 */
public record ChatChunk(String json, String text, String finishReason, boolean usageOnly) {}
