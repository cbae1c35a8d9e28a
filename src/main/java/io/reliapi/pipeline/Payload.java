package io.reliapi.pipeline;

/**
 * A typed reading of a request, beyond its HTTP call, that protocol-aware stages act on: the LLM layer puts its
 * provider-neutral request here. The pipeline itself never looks inside; stages that understand a payload ask
 * for it by type ({@link Exchange#payload(Class)}), and every other stage treats the exchange as plain HTTP.
 */
public interface Payload {}
