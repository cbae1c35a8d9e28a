package io.reliapi.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.reliapi.config.RedisConfig;
import io.reliapi.store.StoreUnavailableException;
import io.reliapi.testing.LogCapture;
import io.reliapi.testing.RedisServer;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How the link tells a slow command from a lost Redis (issue 11, item 9): one command that times out fails
 * alone while Redis goes on answering; a Redis that answers nothing, refuses connections, or lets command
 * after command time out is counted down, so requests stop waiting for it, until it answers a PING again;
 * many commands timing out together are one slow moment, not a lost Redis.
 * {@code CLIENT PAUSE ... WRITE} holds back scripts only (PING and GET still answer): one slow command.
 */
class RedisLinkTest {
  private static final long TIMEOUT_MS = 300;
  private static final LuaScript WRITE = LuaScript.of("return redis.call('SET', KEYS[1], ARGV[1])");

  @RegisterExtension
  static final RedisFixture fixture = new RedisFixture();
  private final List<RedisLink> links = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (RedisLink link : links) {
      link.close().await(5, TimeUnit.SECONDS);
    }
    fixture.redis.command("CLIENT UNPAUSE");
  }

  private RedisLink link(RedisServer redis) {
    RedisLink link = new RedisLink(fixture.vertx, new RedisConfig(redis.url(), RedisConfig.OnUnavailable.FAIL_CLOSED,
        TIMEOUT_MS));
    links.add(link);
    // The first command also connects; it may take longer than the time limit on a busy machine.
    await().atMost(Duration.ofSeconds(10)).until(() -> get(link.ping()));
    return link;
  }

  private static <T> T get(Future<T> future) throws Exception {
    return future.await(10, TimeUnit.SECONDS);
  }

  /** Whether a command fails at once, without being sent: the link counts Redis as down. */
  private static boolean failsAtOnce(RedisLink link) {
    Future<Response> ping = link.send(Request.cmd(Command.PING));
    return ping.failed();
  }

  @Test
  void oneSlowCommandFailsAloneWhileRedisStaysInUse() throws Exception {
    RedisLink link = link(fixture.redis);
    try (LogCapture logs = LogCapture.capture()) {
      fixture.redis.command("CLIENT PAUSE 1500 WRITE");

      Future<Response> slow = link.eval(WRITE, List.of("slow"), "v");
      assertThatThrownBy(() -> get(slow)).isInstanceOf(StoreUnavailableException.class);

      assertThat(failsAtOnce(link)).isFalse();
      assertThat(get(link.ping())).isTrue();
      assertThat(get(link.send(Request.cmd(Command.GET).arg("slow")))).isNull();
      assertThat(logs.all()).doesNotContain("Redis is unavailable");
    }
  }

  @Test
  void aCommandWithoutAnAnswerInTimeReportsItsLateAnswer() throws Exception {
    RedisLink link = link(fixture.redis);
    fixture.redis.command("CLIENT PAUSE 800 WRITE");
    CompletableFuture<Future<Response>> unanswered = new CompletableFuture<>();

    Future<Response> slow = link.eval(WRITE, List.of("late"), unanswered::complete, "landed");
    assertThatThrownBy(() -> get(slow)).isInstanceOf(StoreUnavailableException.class);
    Future<Response> fate = unanswered.get(5, TimeUnit.SECONDS);
    assertThat(fate.isComplete()).isFalse();

    assertThat(get(fate).toString()).isEqualTo("OK");
    assertThat(fixture.redis.command("GET late")).isEqualTo("$6\r\nlanded");
  }

  @Test
  void aCommandAnsweredInTimeReportsNothingLate() throws Exception {
    RedisLink link = link(fixture.redis);
    CompletableFuture<Future<Response>> unanswered = new CompletableFuture<>();
    assertThat(get(link.eval(WRITE, List.of("fast"), unanswered::complete, "v")).toString()).isEqualTo("OK");
    assertThat(unanswered).isNotDone();
  }

  @Test
  void commandAfterCommandTimingOutCountsAsDownEvenWhilePingAnswers() throws Exception {
    RedisLink link = link(fixture.redis);
    try (LogCapture logs = LogCapture.capture()) {
      fixture.redis.command("CLIENT PAUSE 10000 WRITE");
      for (int i = 0; i < RedisHealth.TIMEOUTS_IN_A_ROW; i++) {
        Future<Response> slow = link.eval(WRITE, List.of("k" + i), "v");
        assertThatThrownBy(() -> get(slow)).isInstanceOf(StoreUnavailableException.class);
      }
      // The caller hears of the timeout just before the judgement is made.
      await().atMost(Duration.ofSeconds(5)).until(() -> logs.all().contains("Redis is unavailable"));
    }
    // PING answers all along, so the probe finds Redis again at once.
    await().atMost(Duration.ofSeconds(10)).until(() -> !failsAtOnce(link));
  }

  /** Many commands held up at one moment (as a busy machine can) are one slow moment, not a lost Redis. */
  @Test
  void manyCommandsTimingOutTogetherLeaveRedisInUse() throws Exception {
    RedisLink link = link(fixture.redis);
    try (LogCapture logs = LogCapture.capture()) {
      fixture.redis.command("CLIENT PAUSE 3000 WRITE");
      List<Future<Response>> slow = new ArrayList<>();
      for (int i = 0; i < 6 * RedisHealth.TIMEOUTS_IN_A_ROW; i++) {
        slow.add(link.eval(WRITE, List.of("k" + i), "v"));
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> slow.stream().allMatch(Future::failed));

      assertThat(get(link.ping())).isTrue();
      assertThat(failsAtOnce(link)).isFalse();
      assertThat(logs.all()).doesNotContain("Redis is unavailable");
    }
  }

  @Test
  void aRedisThatAnswersNothingCountsAsDownAndIsUsedAgainOnceItAnswers() throws Exception {
    RedisLink link = link(fixture.redis);
    fixture.redis.command("CLIENT PAUSE 1500 ALL");
    assertThatThrownBy(() -> get(link.eval(WRITE, List.of("k"), "v")))
        .isInstanceOf(StoreUnavailableException.class);
    await().atMost(Duration.ofSeconds(2)).until(() -> failsAtOnce(link));
    await().atMost(Duration.ofSeconds(10)).until(() -> !failsAtOnce(link));
    assertThat(get(link.eval(WRITE, List.of("k"), "v")).toString()).isEqualTo("OK");
  }

  @Test
  void aRefusedConnectionCountsAsDownAtOnce() throws Exception {
    try (RedisServer gone = RedisServer.start()) {
      RedisLink link = link(gone);
      assertThat(get(link.ping())).isTrue();
      gone.stop();
      assertThatThrownBy(() -> get(link.send(Request.cmd(Command.GET).arg("k"))))
          .isInstanceOf(StoreUnavailableException.class);
      assertThat(failsAtOnce(link)).isTrue();
      gone.restart();
      await().atMost(Duration.ofSeconds(10)).until(() -> !failsAtOnce(link));
    }
  }
}
