package io.reliapi.server.anthropic;

import java.util.List;

/**
 * One page of a sorted model list, as Anthropic pages it: up to {@code limit} ids after {@code after_id}, or the
 * last {@code limit} before {@code before_id}, or the first {@code limit}; {@code hasMore} says whether more lie
 * beyond the page in the direction of paging. An id not in the list gives an empty page.
 */
record ModelPage(List<String> ids, boolean hasMore) {

  static ModelPage of(List<String> all, int limit, String afterId, String beforeId) {
    if (beforeId != null) {
      int end = all.indexOf(beforeId);
      if (end < 0) {
        return new ModelPage(List.of(), false);
      }
      int start = Math.max(0, end - limit);
      return new ModelPage(List.copyOf(all.subList(start, end)), start > 0);
    }
    int start = 0;
    if (afterId != null) {
      int at = all.indexOf(afterId);
      if (at < 0) {
        return new ModelPage(List.of(), false);
      }
      start = at + 1;
    }
    int end = Math.min(all.size(), start + limit);
    return new ModelPage(List.copyOf(all.subList(start, end)), end < all.size());
  }
}
