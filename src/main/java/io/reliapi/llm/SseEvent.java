package io.reliapi.llm;

/** One server-sent event: its {@code event} name (null when unnamed) and its {@code data}, lines joined by LF. */
public record SseEvent(String event, String data) {}
