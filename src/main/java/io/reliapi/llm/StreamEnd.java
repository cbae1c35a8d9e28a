package io.reliapi.llm;

/** How a stream that completed ended: its finish reason, its usage and what it cost in USD (null when unpriced). */
public record StreamEnd(String finishReason, Usage usage, Double costUsd) {}
