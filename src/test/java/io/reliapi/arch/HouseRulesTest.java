package io.reliapi.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The house rules of {@code docs/architecture.md}, checked on the compiled production classes: time only
 * from {@code io.reliapi.time.Clock}, timers only through {@code Scheduler}, each third-party library from
 * its one package, and no package importing one above it.
 */
@AnalyzeClasses(packages = "io.reliapi", importOptions = ImportOption.DoNotIncludeTests.class)
class HouseRulesTest {
  private static final String TIME = "io.reliapi.time";

  /**
   * Classes that may start Vert.x timers outside {@code io.reliapi.time}: each one is the I/O timeout of a
   * connection it owns, which runs in real time and is never a wait the gateway chooses (those go through
   * {@code Scheduler}, so tests can drive them with a manual clock).
   */
  static final Set<String> CONNECTION_TIMEOUTS = Set.of(
      // The total time of a buffered upstream attempt: a slow trickle never trips the idle timeout.
      "io.reliapi.upstream.UpstreamClient",
      // A streamed LLM attempt's end at the request's deadline: the stream's own connection timeout.
      "io.reliapi.llm.attempt.StreamLimits",
      // The keep-alive comments of a held client stream: traffic on the client's connection for whatever
      // watches it for silence, like the connection's idle timeout.
      "io.reliapi.server.StreamHold",
      // Redis command timeouts and the probe that notices a lost Redis connection answering again.
      "io.reliapi.store.redis.RedisLink",
      // The PING that follows a timed-out Redis command, to tell a slow command from a lost connection.
      "io.reliapi.store.redis.RedisHealth",
      // Reconnection backoff of the Redis pub/sub connection.
      "io.reliapi.store.redis.Signals",
      // How long startup waits for the Redis subscription before serving.
      "io.reliapi.store.redis.RedisStores");

  /** The layers of docs/architecture.md, lowest first: a layer may use only itself and the layers below it. */
  static final List<Layer> LAYERS = List.of(
      new Layer("Foundation", "io.reliapi.time..", "io.reliapi.error..", "io.reliapi.config.."),
      new Layer("Http", "io.reliapi.http.."),
      new Layer("Store", "io.reliapi.store.."),
      new Layer("Pipeline", "io.reliapi.pipeline.."),
      new Layer("Observe", "io.reliapi.observe.."),
      new Layer("Upstream", "io.reliapi.upstream.."),
      new Layer("Llm", "io.reliapi.llm.."),
      new Layer("Policy", "io.reliapi.policy.."),
      new Layer("Server", "io.reliapi.server.."),
      new Layer("Root", "io.reliapi"));

  record Layer(String name, String... packages) {}

  @ArchTest
  static final ArchRule timeComesOnlyFromTheClock = noClasses()
      .that().resideOutsideOfPackage(TIME + "..")
      .should().callMethodWhere(readsTheSystemClock())
      .orShould().callConstructor(java.util.Date.class)
      .because("time comes only from io.reliapi.time.Clock, so tests can drive it (docs/architecture.md)");

  @ArchTest
  static final ArchRule timersGoThroughTheScheduler = noClasses()
      .that().resideOutsideOfPackage(TIME + "..")
      .and(DescribedPredicate.describe("are not a connection's I/O timeout", (JavaClass c) ->
          !CONNECTION_TIMEOUTS.contains(topLevel(c.getName()))))
      .should().callMethodWhere(startsATimer())
      .orShould().callConstructorWhere(startsATimer())
      .orShould().dependOnClassesThat().haveFullyQualifiedName(java.util.Timer.class.getName())
      .orShould().dependOnClassesThat().haveFullyQualifiedName(java.util.concurrent.ScheduledExecutorService.class.getName())
      .because("waits the gateway chooses go through io.reliapi.time.Scheduler (docs/architecture.md)");

  @ArchTest
  static final ArchRule yamlOnlyInConfig = library("org.yaml.snakeyaml..", "io.reliapi.config");

  @ArchTest
  static final ArchRule micrometerOnlyInObserve = library("io.micrometer..", "io.reliapi.observe");

  @ArchTest
  static final ArchRule logbackOnlyInObserve = library("ch.qos.logback..", "io.reliapi.observe");

  @ArchTest
  static final ArchRule resilience4jOnlyInTheCircuitPolicy = library("io.github.resilience4j..", "io.reliapi.policy.circuit");

  @ArchTest
  static final ArchRule caffeineOnlyInStore = library("com.github.benmanes.caffeine..", "io.reliapi.store");

  @ArchTest
  static final ArchRule redisClientOnlyInStoreRedis = library("io.vertx.redis..", "io.reliapi.store.redis");

  @ArchTest
  static final ArchRule jtokkitOnlyInLlmCost = library("com.knuddels.jtokkit..", "io.reliapi.llm.cost");

  @ArchTest
  static final ArchRule picocliOnlyInTheRootPackage = library("picocli..", "io.reliapi");

  @ArchTest
  static final ArchRule noPackageImportsOneAboveIt = layers();

  private static ArchRule library(String library, String onlyPackage) {
    return noClasses().that().resideOutsideOfPackage(onlyPackage)
        .should().dependOnClassesThat().resideInAPackage(library)
        .because("each third-party library is used from one package (docs/architecture.md)");
  }

  private static LayeredArchitecture layers() {
    LayeredArchitecture rule = layeredArchitecture().consideringOnlyDependenciesInLayers();
    for (Layer layer : LAYERS) {
      rule = rule.layer(layer.name()).definedBy(layer.packages());
    }
    for (int i = 0; i < LAYERS.size() - 1; i++) {
      String[] above = LAYERS.subList(i + 1, LAYERS.size()).stream().map(Layer::name).toArray(String[]::new);
      rule = rule.whereLayer(LAYERS.get(i).name()).mayOnlyBeAccessedByLayers(above);
    }
    rule = rule.whereLayer(LAYERS.getLast().name()).mayNotBeAccessedByAnyLayer();
    return rule.as("no package imports one above it (layers of docs/architecture.md)");
  }

  private static String topLevel(String className) {
    int nested = className.indexOf('$');
    return nested < 0 ? className : className.substring(0, nested);
  }

  private static DescribedPredicate<JavaAccess<?>> readsTheSystemClock() {
    return DescribedPredicate.describe("a read of the system clock", access -> {
      String owner = access.getTargetOwner().getName();
      String method = access.getName();
      return owner.equals("java.lang.System") && (method.equals("currentTimeMillis") || method.equals("nanoTime"))
          || owner.startsWith("java.time.") && method.equals("now")
          || owner.equals("java.time.Clock") && method.startsWith("system")
          || owner.equals("java.time.InstantSource") && method.equals("system")
          || owner.equals("java.util.Calendar") && method.equals("getInstance");
    });
  }

  /**
   * A timer started any way: Vert.x's (on {@code Vertx} or on a context), any scheduled executor's
   * {@code schedule} (Netty's event loops are ones), a scheduled executor made directly or through
   * {@code Executors}, or {@code CompletableFuture.delayedExecutor}.
   */
  private static DescribedPredicate<JavaAccess<?>> startsATimer() {
    Set<String> timerMethods = Set.of("setTimer", "setPeriodic", "timer", "periodicStream", "timerStream");
    Set<String> scheduleMethods = Set.of("schedule", "scheduleAtFixedRate", "scheduleWithFixedDelay");
    return DescribedPredicate.describe("a timer", access -> {
      JavaClass owner = access.getTargetOwner();
      String name = access.getName();
      return (owner.isAssignableTo("io.vertx.core.Vertx") || owner.isAssignableTo("io.vertx.core.internal.ContextInternal"))
              && timerMethods.contains(name)
          || owner.isAssignableTo(java.util.concurrent.ScheduledExecutorService.class) && scheduleMethods.contains(name)
          || owner.isAssignableTo(java.util.concurrent.ScheduledExecutorService.class) && name.equals("<init>")
          || Arrays.asList("newScheduledThreadPool", "newSingleThreadScheduledExecutor").contains(name)
              && owner.getName().equals("java.util.concurrent.Executors")
          || name.equals("delayedExecutor") && owner.getName().equals("java.util.concurrent.CompletableFuture");
    });
  }
}
