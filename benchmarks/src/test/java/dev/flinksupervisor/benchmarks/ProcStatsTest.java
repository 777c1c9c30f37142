package dev.flinksupervisor.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcStatsTest {

  @Test
  void cpu_time_is_read_after_a_command_name_with_spaces_and_parentheses() {
    String stat =
        "4242 (java (worker) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 731 269 0 0 20 0 30 0"
            + " 12345 0 0";

    assertThat(ProcStats.cpuTicks(stat)).isEqualTo(1000);
  }

  @Test
  void resident_memory_is_vm_rss() {
    String status = "Name:\tjava\nVmPeak:\t  999999 kB\nVmRSS:\t  236544 kB\nThreads:\t40\n";

    assertThat(ProcStats.rssKib(status)).isEqualTo(236544);
  }

  @Test
  void this_process_can_be_measured() throws Exception {
    ProcStats self = ProcStats.of(ProcessHandle.current().pid());

    assertThat(self.rssMib()).isPositive();
    assertThat(self.cpuTicks()).isPositive();
  }
}
