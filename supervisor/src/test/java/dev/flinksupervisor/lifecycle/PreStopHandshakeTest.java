package dev.flinksupervisor.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinksupervisor.demo.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shutdown savepoints are taken once, whoever asks first: SIGTERM or the preStop hook. */
class PreStopHandshakeTest {
  @TempDir Path dir;
  private final ScheduledExecutorService checker = Executors.newSingleThreadScheduledExecutor();
  private final AtomicInteger taken = new AtomicInteger();

  @AfterEach
  void stop() {
    checker.shutdownNow();
  }

  private ShutdownSavepoints savepoints(boolean active) {
    return new ShutdownSavepoints(
        () -> active,
        grace -> {
          taken.incrementAndGet();
          return List.of();
        },
        Duration.ofSeconds(5));
  }

  @Test
  void a_second_caller_gets_the_first_outcome_and_nothing_is_taken_twice() {
    ShutdownSavepoints savepoints = savepoints(true);

    ShutdownSavepoints.Outcome first = savepoints.takeOnce();
    ShutdownSavepoints.Outcome second = savepoints.takeOnce();

    assertThat(second).isSameAs(first);
    assertThat(taken).hasValue(1);
  }

  @Test
  void a_standby_sidecar_takes_none() {
    assertThat(savepoints(false).takeOnce().summary()).startsWith("STANDBY");
    assertThat(taken).hasValue(0);
  }

  @Test
  void the_hook_asks_through_the_directory_and_learns_the_outcome() throws Exception {
    ShutdownSavepoints savepoints = savepoints(true);
    PreStopHandshake handshake = PreStopHandshake.start(dir, savepoints);
    assertThat(dir.resolve(PreStopHandshake.ALIVE)).exists();

    Files.createFile(dir.resolve(PreStopHandshake.STOP_REQUESTED));
    Await.until(
        "the savepoints to be done",
        Duration.ofSeconds(5),
        () -> Files.exists(dir.resolve(PreStopHandshake.DONE)) ? Boolean.TRUE : null);
    savepoints.takeOnce(); // SIGTERM after the hook

    assertThat(taken).hasValue(1);
    assertThat(Files.readString(dir.resolve(PreStopHandshake.DONE)))
        .contains("No running job asked for a shutdown savepoint");
    handshake.close();
    assertThat(dir.resolve(PreStopHandshake.ALIVE)).doesNotExist();
  }

  @Test
  void sigterm_first_also_tells_the_hook() throws Exception {
    ShutdownSavepoints savepoints = savepoints(true);
    Files.writeString(dir.resolve(PreStopHandshake.DONE), "left by an earlier run");
    try (PreStopHandshake handshake = PreStopHandshake.start(dir, savepoints)) {
      assertThat(dir.resolve(PreStopHandshake.DONE)).doesNotExist();

      savepoints.takeOnce();

      assertThat(dir.resolve(PreStopHandshake.DONE)).exists();
    }
  }
}
