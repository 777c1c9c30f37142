package dev.flinksupervisor.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The machine a run measured on, for {@code machine.json} and the README. */
final class Machine {
  private Machine() {}

  static Map<String, Object> describe() {
    Map<String, Object> machine = new LinkedHashMap<>();
    machine.put("nproc", Runtime.getRuntime().availableProcessors());
    machine.put("cpu_model", cpuModel());
    machine.put("memory_mib", memoryMib());
    machine.put(
        "jdk",
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    return machine;
  }

  /** One line: "2 cores (nproc), AMD EPYC, 23.5 GiB, OpenJDK 64-Bit Server VM 17.0.15+6". */
  static String summary(Map<String, Object> machine) {
    return machine.get("nproc")
        + " cores (nproc), "
        + machine.get("cpu_model")
        + ", "
        + Numbers.format(((Number) machine.get("memory_mib")).doubleValue() / 1024.0)
        + " GiB memory, "
        + machine.get("jdk");
  }

  private static String cpuModel() {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
      for (String line : lines) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      // not Linux
    }
    return "unknown";
  }

  private static long memoryMib() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (IOException e) {
      // not Linux
    }
    return -1;
  }
}
