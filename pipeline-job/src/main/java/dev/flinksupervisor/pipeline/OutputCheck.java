package dev.flinksupervisor.pipeline;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks the pipeline's committed output against what was produced: every input record exactly
 * once, and each key's counts 1, 2, 3, ... as its records were numbered.
 *
 * @param records output records read
 * @param lost input records missing from the output
 * @param duplicated output records beyond the first for the same input record
 * @param wrongCounts output records whose count is not their sequence number (state lost or counted
 *     twice)
 * @param unexpected output records of no produced input, or that cannot be read
 * @param examples a few of the problems, for a failure message
 */
public record OutputCheck(
    long records,
    long lost,
    long duplicated,
    long wrongCounts,
    long unexpected,
    List<String> examples) {

  public boolean exactlyOnce() {
    return lost == 0 && duplicated == 0 && wrongCounts == 0 && unexpected == 0;
  }

  /**
   * @param produced per key, the highest sequence number produced (records 1 to it)
   * @param output the output records, {@code <key>,<seq>,<count>}
   */
  public static OutputCheck of(Map<String, Long> produced, Iterable<String> output) {
    Map<String, Map<Long, Integer>> seen = new HashMap<>();
    long records = 0;
    long duplicated = 0;
    long wrongCounts = 0;
    long unexpected = 0;
    List<String> examples = new java.util.ArrayList<>();
    for (String line : output) {
      records++;
      String[] parts = line.split(",");
      long seq;
      long count;
      try {
        seq = Long.parseLong(parts[1].trim());
        count = Long.parseLong(parts[2].trim());
      } catch (RuntimeException e) {
        unexpected++;
        note(examples, "unreadable: " + line);
        continue;
      }
      String key = parts[0];
      Long highest = produced.get(key);
      if (highest == null || seq < 1 || seq > highest) {
        unexpected++;
        note(examples, "never produced: " + line);
        continue;
      }
      int times = seen.computeIfAbsent(key, k -> new HashMap<>()).merge(seq, 1, Integer::sum);
      if (times > 1) {
        duplicated++;
        note(examples, "duplicate: " + line);
      }
      if (count != seq) {
        wrongCounts++;
        note(examples, "count " + count + " for record " + seq + " of " + key);
      }
    }
    long lost = 0;
    for (Map.Entry<String, Long> key : new TreeMap<>(produced).entrySet()) {
      Map<Long, Integer> of = seen.getOrDefault(key.getKey(), Map.of());
      for (long seq = 1; seq <= key.getValue(); seq++) {
        if (!of.containsKey(seq)) {
          lost++;
          note(examples, "lost: " + key.getKey() + "," + seq);
        }
      }
    }
    return new OutputCheck(
        records, lost, duplicated, wrongCounts, unexpected, List.copyOf(examples));
  }

  private static void note(List<String> examples, String problem) {
    if (examples.size() < 10) {
      examples.add(problem);
    }
  }
}
