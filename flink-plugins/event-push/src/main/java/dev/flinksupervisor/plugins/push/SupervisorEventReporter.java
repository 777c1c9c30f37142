package dev.flinksupervisor.plugins.push;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.apache.flink.events.Event;
import org.apache.flink.events.reporter.EventReporter;
import org.apache.flink.metrics.MetricConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the JobManager's events to the sidecar on localhost.
 *
 * <p>Flink calls {@link #notifyOfAddedEvent} on the JobMaster's main thread while it holds the
 * metric registry's lock, so that method only copies the event's name, time and attribute map and
 * offers them to a bounded queue: no I/O, no logging, no blocking, no exception. A full queue drops
 * the event and counts it. The {@link PushSender} thread does the rest.
 *
 * <p>Invalid settings never fail the JobManager: the reporter logs one WARN saying why, stays
 * disabled and counts every event it is given as dropped.
 */
public final class SupervisorEventReporter implements EventReporter {

  static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(1);

  private static final Logger LOG = LoggerFactory.getLogger(SupervisorEventReporter.class);

  private final Properties factoryProperties;
  private final Clock clock;
  private final PushStats stats = new PushStats();

  private volatile Pipeline pipeline;
  private volatile boolean closed;

  /**
   * @param factoryProperties the options given to the factory; those given to {@link #open} are
   *     laid over them
   * @param clock tells the time of sending, token checks and rate-limited warnings
   */
  public SupervisorEventReporter(Properties factoryProperties, Clock clock) {
    this.factoryProperties = new Properties();
    this.factoryProperties.putAll(factoryProperties);
    this.clock = clock;
  }

  @Override
  public void open(MetricConfig config) {
    if (pipeline != null || closed) {
      LOG.warn("The supervisor event reporter was opened twice or after close; ignored.");
      return;
    }
    PushSettings settings;
    try {
      Properties merged = new Properties();
      merged.putAll(factoryProperties);
      if (config != null) {
        merged.putAll(config);
      }
      settings = PushSettings.from(merged);
    } catch (Throwable t) {
      LOG.warn(
          "Events are not pushed to the sidecar: {}. They are counted as dropped; the sidecar"
              + " still polls the JobManager.",
          t.getMessage() == null ? t.toString() : t.getMessage());
      return;
    }
    try {
      BlockingQueue<CapturedEvent> queue = new ArrayBlockingQueue<>(settings.queueCapacity());
      PushSender sender = new PushSender(settings, queue, stats, clock);
      sender.start();
      pipeline = new Pipeline(settings.events(), queue, sender);
      warmUp();
      LOG.info(
          "Pushing {} to {} (queue of {}, batches of up to {}, token from {}).",
          settings.events(),
          settings.displayUrl(),
          settings.queueCapacity(),
          settings.batchSize(),
          settings.tokenFile());
    } catch (Throwable t) {
      LOG.warn("Events are not pushed to the sidecar: the sender could not start.", t);
    }
  }

  /**
   * Loads and links what a hand-off uses, here rather than in the JobManager's first event: class
   * loading would otherwise add milliseconds to that job status change.
   */
  private static void warmUp() {
    CapturedEvent.of(
            Event.builder(SupervisorEventReporter.class, "WarmUp")
                .setObservedTsMillis(0)
                .setAttribute("attribute", "value")
                .build(java.util.Map.of("<job_id>", "0", "<job_name>", "warm-up")))
        .toPushed();
  }

  @Override
  public void notifyOfAddedEvent(Event event) {
    long start = System.nanoTime();
    boolean counted = false;
    try {
      Pipeline current = pipeline;
      if (current == null) {
        stats.countReceived();
        counted = true;
        stats.countDropped(1);
        return;
      }
      if (!current.events().contains(event.getName())) {
        return;
      }
      stats.countReceived();
      counted = true;
      if (closed || !current.queue().offer(CapturedEvent.of(event))) {
        stats.countDropped(1);
      }
    } catch (Throwable t) {
      if (!counted) {
        stats.countReceived();
      }
      stats.countDropped(1);
    } finally {
      stats.handOff(System.nanoTime() - start);
    }
  }

  /**
   * Stops the sender, waiting for it at most one second; events not yet sent are counted as
   * dropped.
   */
  @Override
  public void close() {
    closed = true;
    Pipeline current = pipeline;
    if (current == null) {
      return;
    }
    if (!current.sender().stop(CLOSE_TIMEOUT)) {
      LOG.warn(
          "The event push thread did not stop within {}; it is a daemon thread.", CLOSE_TIMEOUT);
    }
    List<CapturedEvent> left = new ArrayList<>();
    current.queue().drainTo(left);
    stats.countDropped(left.size());
  }

  /** The counters, cumulative since the reporter was created. */
  public PushStats stats() {
    return stats;
  }

  /** Events waiting in the queue. */
  public int queued() {
    Pipeline current = pipeline;
    return current == null ? 0 : current.queue().size();
  }

  private record Pipeline(
      Set<String> events, BlockingQueue<CapturedEvent> queue, PushSender sender) {}
}
