package dev.flinksupervisor.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process's resident memory ({@code VmRSS} of {@code /proc/<pid>/status}) and CPU time ({@code
 * utime + stime} of {@code /proc/<pid>/stat}), as Linux accounts them.
 */
record ProcStats(long rssKib, long cpuTicks) {

  static ProcStats of(long pid) throws IOException {
    return new ProcStats(
        rssKib(Files.readString(Path.of("/proc", String.valueOf(pid), "status"))),
        cpuTicks(Files.readString(Path.of("/proc", String.valueOf(pid), "stat"))));
  }

  double rssMib() {
    return rssKib / 1024.0;
  }

  static long rssKib(String status) {
    for (String line : status.split("\n")) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.substring("VmRSS:".length()).replace("kB", "").trim());
      }
    }
    throw new IllegalStateException("No VmRSS line in /proc/<pid>/status");
  }

  /**
   * Fields 14 and 15 of {@code stat}, counted after the command name, which is in parentheses and
   * may itself contain spaces.
   */
  static long cpuTicks(String stat) {
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    // fields[0] is field 3 (state): utime is field 14, stime field 15.
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  /** Clock ticks per second of {@code stat}'s times ({@code getconf CLK_TCK}; 100 on Linux). */
  static long ticksPerSecond() {
    try {
      Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(getconf.getInputStream().readAllBytes()).trim();
      if (getconf.waitFor() == 0) {
        return Long.parseLong(out);
      }
    } catch (IOException | NumberFormatException e) {
      // the kernel's USER_HZ below
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 100;
  }
}
