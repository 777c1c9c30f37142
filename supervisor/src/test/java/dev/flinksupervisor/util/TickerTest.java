package dev.flinksupervisor.util;

import dev.flinksupervisor.demo.Await;
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
}
