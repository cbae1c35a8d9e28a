package io.reliapi.policy.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.pipeline.CacheDirective;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CacheDirectivesTest {
  @Test
  void readsNoCacheNoStoreAndTheCacheField() {
    assertThat(CacheDirectives.of(List.of(), Optional.empty())).isEqualTo(CacheDirective.normal());
    assertThat(CacheDirectives.of(List.of("no-cache"), Optional.empty()))
        .isEqualTo(new CacheDirective(true, false, Optional.empty()));
    assertThat(CacheDirectives.of(List.of("max-age=0"), Optional.empty()).skipRead()).isTrue();
    assertThat(CacheDirectives.of(List.of("private, No-Store"), Optional.empty()))
        .isEqualTo(new CacheDirective(true, true, Optional.empty()));
    assertThat(CacheDirectives.of(List.of(), Optional.of(0L))).isEqualTo(new CacheDirective(true, true, Optional.empty()));
    assertThat(CacheDirectives.of(List.of(), Optional.of(30L))).isEqualTo(new CacheDirective(false, false, Optional.of(30L)));
  }

  @Test
  void aClientsTtlMayShortenTheTargetsNeverLengthenIt() {
    assertThat(CacheDirectives.ttlS(CacheDirective.normal(), 300)).isEqualTo(300);
    assertThat(CacheDirectives.ttlS(CacheDirectives.of(List.of(), Optional.of(30L)), 300)).isEqualTo(30);
    assertThat(CacheDirectives.ttlS(CacheDirectives.of(List.of(), Optional.of(31_536_000L)), 300)).isEqualTo(300);
  }
}
