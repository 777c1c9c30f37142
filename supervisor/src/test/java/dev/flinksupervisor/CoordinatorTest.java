package dev.flinksupervisor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinksupervisor.supervision.Role;
import dev.flinksupervisor.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CoordinatorTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final List<String> ran = new CopyOnWriteArrayList<>();
  private final AtomicBoolean mayAct = new AtomicBoolean(true);

  private Coordinator coordinator() {
    return new Coordinator(
        mayAct::get,
        List.of(
            new Coordinator.Step("savepoints", () -> ran.add("savepoints")),
            new Coordinator.Step(
                "reprofiles",
                () -> {
                  ran.add("reprofiles");
                  throw new IllegalStateException("a broken step");
                }),
            new Coordinator.Step("jobs", () -> ran.add("jobs"))),
        new Coordinator.Step("housekeeping", () -> ran.add("housekeeping")),
        Duration.ofMinutes(1),
        clock);
  }

  @Test
  void the_steps_run_in_order_each_isolated_from_the_others_failures() {
    coordinator().tick();

    assertThat(ran).containsExactly("savepoints", "reprofiles", "jobs", "housekeeping");
  }

  @Test
  void nothing_runs_until_the_record_was_read_in_this_active_term() {
    Coordinator coordinator = coordinator();
    mayAct.set(false);

    assertThat(coordinator.tick()).isFalse();
    assertThat(ran).isEmpty();
    mayAct.set(true);
    assertThat(coordinator.tick()).isTrue();
  }

  @Test
  void housekeeping_runs_at_its_own_slower_pace() {
    Coordinator coordinator = coordinator();
    coordinator.tick();
    clock.advance(Duration.ofSeconds(30));
    coordinator.tick();
    clock.advance(Duration.ofSeconds(30));
    coordinator.tick();

    assertThat(ran.stream().filter("housekeeping"::equals)).hasSize(2);
    assertThat(ran.stream().filter("jobs"::equals)).hasSize(3);
  }

  @Test
  void becoming_active_reads_the_record_at_once_and_nothing_else_does() {
    AtomicInteger reads = new AtomicInteger();

    Coordinator.takeover(Role.STANDBY, Role.ACTIVE, reads::incrementAndGet);
    Coordinator.takeover(Role.ACTIVE, Role.ACTIVE, reads::incrementAndGet);
    Coordinator.takeover(Role.ACTIVE, Role.STANDBY, reads::incrementAndGet);

    assertThat(reads.get()).isEqualTo(1);
  }
}
