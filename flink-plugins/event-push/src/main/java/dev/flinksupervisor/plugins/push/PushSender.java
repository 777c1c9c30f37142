package dev.flinksupervisor.plugins.push;

import java.io.IOException;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one daemon thread that takes events from the queue and POSTs them in batches to the sidecar.
 * A batch the sidecar does not accept with a 2xx is dropped and counted, and the thread pauses (see
 * {@link Backoff}) before the next one; push is a hint, the sidecar polls anyway.
 */
final class PushSender {

  static final String THREAD_NAME = "flink-supervisor-push";
  static final Duration WARN_INTERVAL = Duration.ofMinutes(1);

  private static final Logger LOG = LoggerFactory.getLogger(PushSender.class);

  private final PushSettings settings;
  private final BlockingQueue<CapturedEvent> queue;

  /** New with every start: the sidecar tells a restarted JobManager's counts from the last. */
  private final String instance = java.util.UUID.randomUUID().toString();

  private final PushStats stats;
  private final Clock clock;
  private final TokenFile tokenFile;
  private final Backoff backoff;
  private final Thread thread;
  private volatile boolean running = true;

  // Owned by the sender thread.
  private HttpClient client;
  private String reporterName;
  private boolean failing;
  private long failuresInARow;
  private long lastWarnAt;

  PushSender(
      PushSettings settings, BlockingQueue<CapturedEvent> queue, PushStats stats, Clock clock) {
    this.settings = settings;
    this.queue = queue;
    this.stats = stats;
    this.clock = clock;
    this.tokenFile = new TokenFile(settings.tokenFile(), settings.tokenCheckInterval(), clock);
    this.backoff = new Backoff(settings.initialBackoff(), settings.maxBackoff());
    this.thread = new Thread(this::run, THREAD_NAME);
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /**
   * Interrupts the thread and waits for it at most {@code timeout}. Events still queued when it
   * ends are counted as dropped.
   *
   * @return whether the thread has ended
   */
  boolean stop(Duration timeout) {
    running = false;
    thread.interrupt();
    try {
      thread.join(Math.max(1, timeout.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return !thread.isAlive();
  }

  private void run() {
    try {
      reporterName = settings.reporterName().orElseGet(PushSender::hostName);
      client(); // built now, not on the JobManager's first event: it takes a few hundred ms
      tokenFile.current(); // the WARN for a missing token file shows at start, not at an event
      while (running) {
        List<PushedEvent> batch = nextBatch();
        if (send(batch)) {
          backoff.reset();
        } else {
          Thread.sleep(backoff.next().toMillis());
        }
      }
    } catch (InterruptedException e) {
      // stop() was called
    } catch (Throwable t) { // never silently: every later event is dropped and counted
      LOG.warn(
          "The event push thread stopped unexpectedly; events are counted as dropped from now"
              + " on. The sidecar still polls the JobManager.",
          t);
    } finally {
      running = false;
      List<CapturedEvent> left = new ArrayList<>();
      queue.drainTo(left);
      stats.countDropped(left.size());
    }
  }

  private List<PushedEvent> nextBatch() throws InterruptedException {
    CapturedEvent first = queue.take();
    List<CapturedEvent> captured =
        new ArrayList<>(Math.min(settings.batchSize(), queue.size() + 1));
    captured.add(first);
    queue.drainTo(captured, settings.batchSize() - 1);
    stats.batchStarted(captured.size());
    List<PushedEvent> batch = new ArrayList<>(captured.size());
    for (CapturedEvent event : captured) {
      batch.add(event.toPushed());
    }
    return batch;
  }

  /** Sends one batch and counts it as delivered or failed; true if it was delivered. */
  private boolean send(List<PushedEvent> batch) throws InterruptedException {
    String token = null;
    String error;
    try {
      token = tokenFile.current();
      if (token == null) {
        error = "token file " + tokenFile.path() + " " + tokenFile.problem();
      } else {
        stats.senderCpu(cpuTime());
        byte[] body = PushBatchJson.encode(reporterName, instance, clock.millis(), stats, batch);
        HttpRequest request =
            HttpRequest.newBuilder(settings.url())
                .timeout(settings.timeout())
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        int status = client().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status >= 200 && status < 300) {
          stats.batchDelivered(batch.size());
          recovered();
          return true;
        }
        if (status == 401) {
          tokenFile.reload();
        }
        error = "HTTP " + status;
      }
    } catch (InterruptedException e) {
      stats.batchFailed(batch.size());
      throw e;
    } catch (Throwable t) {
      error = describe(t, token);
    }
    stats.batchFailed(batch.size());
    failed(error);
    return false;
  }

  /** This thread's CPU time, or -1 where the JVM does not measure it. */
  private static long cpuTime() {
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    return threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : -1;
  }

  private HttpClient client() {
    if (client == null) {
      client =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(settings.connectTimeout())
              .followRedirects(HttpClient.Redirect.NEVER)
              .build();
    }
    return client;
  }

  private void failed(String error) {
    failuresInARow++;
    long now = clock.millis();
    if (!failing || now - lastWarnAt >= WARN_INTERVAL.toMillis()) {
      LOG.warn(
          "Pushing events to {} fails: {} events dropped and {} batches failed so far, last"
              + " error: {}. The sidecar still polls the JobManager.",
          settings.displayUrl(),
          stats.dropped(),
          stats.failedBatches(),
          error);
      lastWarnAt = now;
    }
    failing = true;
  }

  private void recovered() {
    if (failing) {
      LOG.info(
          "Pushing events to {} works again after {} failed batches.",
          settings.displayUrl(),
          failuresInARow);
      failing = false;
      failuresInARow = 0;
    }
  }

  private static String describe(Throwable t, String token) {
    String message = t.getMessage();
    String text =
        t.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    return token == null ? text : text.replace(token, "***");
  }

  private static String hostName() {
    String pod = System.getenv("HOSTNAME");
    if (pod != null && !pod.isBlank()) {
      return pod.trim();
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
