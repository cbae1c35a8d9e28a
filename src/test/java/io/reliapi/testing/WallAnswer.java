package io.reliapi.testing;

import java.util.List;

/**
 * What a {@link FaultWall} answer says once its fault let it through: the id ({@code chatcmpl-fb-N}), the model
 * as requested, the words (all sixty, or the rest after a prefill, the first then with a leading space),
 * whether the usage chunk was asked for, the prompt's size, and whether the connection stays open after it.
 */
record WallAnswer(String id, String model, List<String> words, boolean continuation, boolean includeUsage,
    int promptTokens, boolean keepAlive) {}
