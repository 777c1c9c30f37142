package dev.flinksupervisor.lifecycle;

import dev.flinksupervisor.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the JobManager container's preStop hook holds the JobManager back until the sidecar's
 * shutdown savepoints are done. Both containers mount one directory (an emptyDir):
 *
 * <ul>
 *   <li>the sidecar creates {@value #ALIVE} when it starts and deletes it when it stops;
 *   <li>the hook creates {@value #STOP_REQUESTED}, then waits while {@value #ALIVE} exists and
 *       {@value #DONE} does not;
 *   <li>the sidecar, seeing {@value #STOP_REQUESTED}, takes its shutdown savepoints ({@link
 *       ShutdownSavepoints}: once, even when SIGTERM also arrives) and writes {@value #DONE} with
 *       the outcome when they have ended or the grace has passed, whoever asked first.
 * </ul>
 *
 * A file handshake needs no network, no token and no TLS in the hook (which runs in the Flink image
 * with bash only), and whoever may ask is decided by who mounts the directory.
 */
public final class PreStopHandshake implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PreStopHandshake.class);
  public static final String ALIVE = "alive";
  public static final String STOP_REQUESTED = "stop-requested";
  public static final String DONE = "savepoints-done";
  private static final Duration CHECK_EVERY = Duration.ofMillis(200);

  private final Path directory;
  private final ShutdownSavepoints savepoints;
  private final AtomicBoolean requested = new AtomicBoolean();
  private ScheduledFuture<?> check;
  private final ScheduledExecutorService checker =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
          new org.apache.flink.util.concurrent.ExecutorThreadFactory("pre-stop-handshake"));

  private PreStopHandshake(Path directory, ShutdownSavepoints savepoints) {
    this.directory = directory;
    this.savepoints = savepoints;
  }

  /**
   * Announces the sidecar in {@code directory} and checks it for a stop request every 200 ms, on a
   * thread of its own.
   *
   * @throws ConfigException when the directory cannot be written
   */
  public static PreStopHandshake start(Path directory, ShutdownSavepoints savepoints) {
    PreStopHandshake handshake = new PreStopHandshake(directory, savepoints);
    try {
      Files.createDirectories(directory);
      Files.deleteIfExists(directory.resolve(DONE)); // left by an earlier run of this container
      Files.writeString(directory.resolve(ALIVE), ProcessHandle.current().pid() + "\n");
    } catch (IOException e) {
      throw new ConfigException(
          "Option 'savepoints.handshake-directory': cannot write " + directory + ": " + e, e);
    }
    savepoints.whenDone(handshake::writeDone);
    long every = CHECK_EVERY.toMillis();
    handshake.check =
        handshake.checker.scheduleWithFixedDelay(
            handshake::checkForStop, 0, every, TimeUnit.MILLISECONDS);
    return handshake;
  }

  private void checkForStop() {
    if (Files.exists(directory.resolve(STOP_REQUESTED)) && requested.compareAndSet(false, true)) {
      LOG.info("The JobManager is stopping (preStop hook): taking the shutdown savepoints");
      Thread taking = new Thread(savepoints::takeOnce, "pre-stop-savepoints");
      taking.setDaemon(true);
      taking.start();
    }
  }

  private void writeDone(ShutdownSavepoints.Outcome outcome) {
    Path partial = directory.resolve(DONE + ".partial");
    try {
      Files.writeString(partial, outcome.summary() + "\n");
      Files.move(partial, directory.resolve(DONE), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      LOG.warn(
          "Cannot tell the JobManager's preStop hook that the savepoints ended: {}", e.toString());
    }
  }

  /** The sidecar stops: the hook stops waiting for it. */
  @Override
  public void close() throws IOException {
    if (check != null) {
      check.cancel(false);
    }
    checker.shutdownNow();
    Files.deleteIfExists(directory.resolve(ALIVE));
  }
}
