package dev.flinksupervisor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
  private final AtomicLong nanos = new AtomicLong();

  @Test
  void at_a_terminal_one_line_is_redrawn_with_a_spinner_and_cleared_at_the_end() {
    Progress p = new Progress(err, true, "savepoint s1", nanos::get);
    p.update("TRIGGER_PENDING");
    nanos.addAndGet(2_000_000_000L);
    p.update("IN_PROGRESS");
    p.done();

    String text = bytes.toString(StandardCharsets.UTF_8);
    assertThat(text).doesNotContain("\n");
    assertThat(text).contains("\r| savepoint s1: TRIGGER_PENDING 0s");
    assertThat(text).contains("\r/ savepoint s1: IN_PROGRESS 2s");
    assertThat(text).endsWith("\r");
  }

  @Test
  void elsewhere_plain_lines_when_the_state_changes_and_now_and_then() {
    Progress p = new Progress(err, false, "savepoint s1", nanos::get);
    p.update("IN_PROGRESS");
    nanos.addAndGet(1_000_000_000L);
    p.update("IN_PROGRESS");
    nanos.addAndGet(Progress.PLAIN_EVERY.toNanos());
    p.update("IN_PROGRESS");
    p.done();

    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .isEqualTo("savepoint s1: IN_PROGRESS (0s)\nsavepoint s1: IN_PROGRESS (11s)\n");
  }
}
