package dev.flinksupervisor.util;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinksupervisor.demo.Await;
import dev.flinksupervisor.testing.ManualScheduler;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TickerTest {
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  @Test
  void it_runs_after_the_delay_asked_for_and_at_once_when_woken() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    AtomicInteger asked = new AtomicInteger();
    try (Ticker ticker =
        new Ticker(
            executor,
            () -> {
              runs.incrementAndGet();
              throw new IllegalStateException("an action that fails runs again");
            },
            () -> asked.incrementAndGet() < 3 ? Duration.ZERO : Duration.ofHours(1))) {
      ticker.start(Duration.ZERO);
      Await.until("three runs", Duration.ofSeconds(10), () -> runs.get() == 3 ? true : null);

      ticker.wake();

      Await.until("a run when woken", Duration.ofSeconds(10), () -> runs.get() == 4 ? true : null);
    }
  }

  @Test
  void a_run_cancelled_as_it_started_ends_at_once_so_there_is_one_chain_of_runs() {
    ManualScheduler scheduler = new ManualScheduler();
    AtomicInteger runs = new AtomicInteger();
    Ticker ticker = new Ticker(scheduler, runs::incrementAndGet, () -> Duration.ofHours(1));
    ticker.start(Duration.ofHours(1));
    ManualScheduler.Task first = scheduler.tasks().get(0);

    // wake() cancels the first run just as its thread starts it: the cancel still succeeds.
    ticker.wake();
    first.runAsIfStartedBeforeCancel();
    ManualScheduler.Task second = scheduler.tasks().get(1);
    second.run();

    assertThat(runs).hasValue(1); // the first run ended at once; the second ran the action
    assertThat(scheduler.pending()).isEqualTo(1); // and only the second scheduled the next
    ticker.close();
    scheduler.shutdownNow();
  }
}
