package dev.flinksupervisor.lifecycle;

import dev.flinksupervisor.savepoints.SavepointRecord;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The savepoints taken when the pod stops, taken once however the stop is announced: by SIGTERM to
 * the sidecar, or by the JobManager container's preStop hook ({@link PreStopHandshake}), whichever
 * comes first. A second caller waits for the first one's outcome instead of asking Flink again.
 */
public final class ShutdownSavepoints {
  private static final Logger LOG = LoggerFactory.getLogger(ShutdownSavepoints.class);

  /** How much longer than the grace a second caller waits for the first one to finish. */
  private static final Duration MARGIN = Duration.ofSeconds(5);

  /** What the stop came to: the savepoints taken, and one line saying how each ended. */
  public record Outcome(List<SavepointRecord> savepoints, String summary) {}

  private final BooleanSupplier active;
  private final Function<Duration, List<SavepointRecord>> take;
  private final Duration grace;
  private final AtomicBoolean started = new AtomicBoolean();
  private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();

  /**
   * @param active whether this sidecar is the ACTIVE one (only that one takes savepoints)
   * @param take takes the shutdown savepoints and waits for them up to the grace it is given
   * @param grace how long the savepoints may take ({@code savepoints.shutdown-grace})
   */
  public ShutdownSavepoints(
      BooleanSupplier active, Function<Duration, List<SavepointRecord>> take, Duration grace) {
    this.active = active;
    this.take = take;
    this.grace = grace;
  }

  /**
   * Takes the shutdown savepoints if nobody has yet, in the calling thread, and returns when they
   * have ended or the grace has passed; a later caller gets the same outcome.
   */
  public Outcome takeOnce() {
    if (started.compareAndSet(false, true)) {
      try {
        outcome.complete(run());
      } catch (RuntimeException e) {
        LOG.warn("Shutdown savepoints failed", e);
        outcome.complete(new Outcome(List.of(), "Shutdown savepoints failed: " + e));
      }
    }
    try {
      return outcome.get(grace.plus(MARGIN).toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return new Outcome(List.of(), "Shutdown savepoints still running after " + grace);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(List.of(), "Interrupted while waiting for the shutdown savepoints");
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Runs {@code listener} with the outcome once the savepoints have ended (now, if they have). */
  public void whenDone(Consumer<Outcome> listener) {
    outcome.thenAccept(listener);
  }

  private Outcome run() {
    if (!active.getAsBoolean()) {
      return new Outcome(
          List.of(), "STANDBY: the sidecar beside the leading JobManager takes the savepoints");
    }
    LOG.info("Stopping: taking shutdown savepoints within {}", grace);
    List<SavepointRecord> taken = take.apply(grace);
    String summary =
        taken.isEmpty()
            ? "No running job asked for a shutdown savepoint"
            : taken.stream().map(ShutdownSavepoints::describe).collect(Collectors.joining("\n"));
    LOG.info("Shutdown savepoints:\n{}", summary);
    return new Outcome(taken, summary);
  }

  private static String describe(SavepointRecord r) {
    String end =
        switch (r.state()) {
          case COMPLETED -> r.path();
          case FAILED, ABANDONED -> String.valueOf(r.error());
          default -> "not done within the grace; trigger " + r.triggerId();
        };
    return "job " + r.jobId() + ": savepoint " + r.id() + " " + r.state() + " " + end;
  }
}
