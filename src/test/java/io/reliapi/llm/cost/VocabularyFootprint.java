package io.reliapi.llm.cost;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.EncodingType;
import java.lang.management.ManagementFactory;

/**
 * Heap kept by one loaded vocabulary, and the time to load it, in a fresh JVM (not a test; numbers for
 * docs/performance.md): {@code java -cp ... io.reliapi.llm.cost.VocabularyFootprint ours|jtokkit o200k_base}.
 * Run with {@code -XX:+UseSerialGC} and a small {@code -Xmx} to find the heap loading needs at its peak.
 */
public final class VocabularyFootprint {
  private VocabularyFootprint() {}

  public static void main(String[] args) {
    String which = args[0];
    String name = args[1];
    long before = usedAfterGc();
    long start = System.nanoTime();
    Object loaded = which.equals("jtokkit")
        ? Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.fromName(name).orElseThrow())
        : TokenEncoding.load(name);
    long loadMs = (System.nanoTime() - start) / 1_000_000;
    long after = usedAfterGc();
    System.out.printf("%s %s: retained %.1f MB, loaded in %d ms%n", which, name, (after - before) / 1e6, loadMs);
    if (loaded instanceof TokenEncoding ours) {
      System.out.printf("  of which the vocabulary's arrays: %.1f MB%n", ours.ranks().heapBytes() / 1e6);
    }
  }

  private static long usedAfterGc() {
    for (int i = 0; i < 4; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
