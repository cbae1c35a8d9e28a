package io.reliapi.bench;

import io.reliapi.testing.FailoverBenchConfig;
import io.reliapi.testing.FailoverClient;
import io.reliapi.testing.FailoverRunner;
import io.reliapi.testing.FailoverScenario;
import io.reliapi.testing.FailoverScenarios;
import io.reliapi.testing.FailoverScorecard;
import io.reliapi.testing.FaultWall;
import io.reliapi.testing.WallTiming;
import io.reliapi.time.Clock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * failoverbench from the command line (run with bench/failoverbench.sh; not a test):
 * <pre>
 *   config [--wall-port 8401] [--profile full|fast|test] [--commit none|first_token|complete]
 *                                                              print a ReliAPI config routing to the wall
 *   run --gateway URL [--wall-port 8401] [--profile fast] [--only S01,S08] [--out FILE] [--plain-models]
 *       [--api-key KEY] [--system NAME]                        start the wall, run the scenarios, print the scorecard
 *   wall [--port 8401] [--profile full]                         only the wall, for another system under test
 *   ttfb --gateway URL [--wall-port 8401] [--profile full] [--requests 20]
 *                                                              start the wall, time each stream commit mode
 * </pre>
 * {@code --gateway} is the system's OpenAI-compatible base URL ({@code http://127.0.0.1:8000/v1}); models are sent
 * as {@code s08/fb-s08-stream-cut} (ReliAPI's target prefix), or as the bare model with {@code --plain-models}.
 */
public final class FailoverBench {
  private FailoverBench() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length == 0) {
      System.err.println("usage: FailoverBench config|run|wall [options] (see the class comment)");
      System.exit(2);
    }
    Map<String, String> options = options(Arrays.copyOfRange(args, 1, args.length));
    String profile = options.getOrDefault("profile", args[0].equals("wall") ? "full" : "fast");
    switch (args[0]) {
      case "config" -> System.out.print(FailoverBenchConfig.yaml(
          "http://127.0.0.1:" + options.getOrDefault("wall-port", "8401") + "/v1",
          FailoverBenchConfig.Budget.forProfile(profile), options.getOrDefault("commit", "first_token")));
      case "run" -> run(options, profile);
      case "ttfb" -> {
        try (FaultWall wall = FaultWall.start(WallTiming.named(profile),
            Integer.parseInt(options.getOrDefault("wall-port", "8401")))) {
          System.out.print(StreamTtfb.table(options.get("gateway"), FailoverRunner.targetPrefixed("fb-ok"),
              Integer.parseInt(options.getOrDefault("requests", "20"))));
        }
      }
      case "wall" -> {
        int port = Integer.parseInt(options.getOrDefault("port", "8401"));
        FaultWall wall = FaultWall.start(WallTiming.named(profile), port);
        System.err.println("fault wall (profile " + profile + ") listening on " + wall.baseUrl());
        Thread.currentThread().join();
      }
      default -> {
        System.err.println("unknown command " + args[0]);
        System.exit(2);
      }
    }
  }

  private static void run(Map<String, String> options, String profile) throws IOException {
    String gateway = options.get("gateway");
    if (gateway == null) {
      System.err.println("run needs --gateway URL (the system's OpenAI-compatible base URL)");
      System.exit(2);
    }
    List<FailoverScenario> scenarios = options.containsKey("only")
        ? Arrays.stream(options.get("only").split(",")).map(FailoverScenarios::byId).toList()
        : FailoverScenarios.all();
    UnaryOperator<String> models = options.containsKey("plain-models") ? m -> m : FailoverRunner::targetPrefixed;
    try (FaultWall wall = FaultWall.start(WallTiming.named(profile),
        Integer.parseInt(options.getOrDefault("wall-port", "8401")))) {
      FailoverRunner runner = new FailoverRunner(wall,
          new FailoverClient(gateway, options.getOrDefault("api-key", "failoverbench")), models, Set.of("fallback"));
      long started = Clock.system().nanoTime();
      FailoverScorecard card = runner.runAll(options.getOrDefault("system", "ReliAPI at " + gateway), scenarios);
      String markdown = card.markdown() + "\nRun time: %.0f s\n".formatted((Clock.system().nanoTime() - started) / 1e9);
      System.out.println(markdown);
      if (options.containsKey("out")) {
        Files.writeString(Path.of(options.get("out")), markdown);
      }
    }
  }

  /** {@code --name value} pairs; a flag without a value maps to "true". */
  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument " + args[i]);
      }
      boolean valued = i + 1 < args.length && !args[i + 1].startsWith("--");
      options.put(args[i].substring(2), valued ? args[++i] : "true");
    }
    return options;
  }
}
