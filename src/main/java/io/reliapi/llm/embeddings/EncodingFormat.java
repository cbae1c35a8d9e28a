package io.reliapi.llm.embeddings;

/**
 * How the client wants its vectors written ({@code encoding_format}): JSON numbers, or base64 of the vector as
 * consecutive little-endian IEEE-754 float32 values (what OpenAI's SDKs ask for by default).
 */
public enum EncodingFormat {
  FLOAT, BASE64
}
