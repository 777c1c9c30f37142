package dev.flinksupervisor.flink;

import java.time.Duration;
import java.util.UUID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.highavailability.ClientHighAvailabilityServices;
import org.apache.flink.runtime.highavailability.ClientHighAvailabilityServicesFactory;
import org.apache.flink.runtime.highavailability.DefaultClientHighAvailabilityServicesFactory;
import org.apache.flink.runtime.leaderretrieval.LeaderRetrievalListener;
import org.apache.flink.runtime.leaderretrieval.LeaderRetrievalService;
import org.apache.flink.runtime.rpc.FatalErrorHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flink's own client HA services (for {@code high-availability.type: kubernetes}: a watch on {@code
 * <cluster-id>-cluster-config-map}), with every REST-leader notification also handed to a {@link
 * LeaderWatch}, after Flink's REST client has it. The REST client and the sidecar thus share one
 * watch and always agree on who leads, and a poll woken by a leader change goes to the new leader.
 * The sidecar only reads: it never joins the election.
 *
 * <p>Flink's Kubernetes HA services list the ConfigMaps before they return, and fail when the
 * Kubernetes API does not answer. Here they are created on a thread of their own ({@code
 * ha-services-start}), again and again with a backoff from 1 s to 30 s until they are, so that a
 * sidecar started while the API is away comes up, answers {@code /healthz} (and {@code /readyz}
 * 503: no leader yet), and finds the leader once the API is back.
 */
final class ObservingClientHaServicesFactory implements ClientHighAvailabilityServicesFactory {
  private static final Logger LOG = LoggerFactory.getLogger(ObservingClientHaServicesFactory.class);
  private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final LeaderWatch watch;

  ObservingClientHaServicesFactory(LeaderWatch watch) {
    this.watch = watch;
  }

  @Override
  public ClientHighAvailabilityServices create(
      Configuration configuration, FatalErrorHandler fatalErrorHandler) {
    return new Deferred(
        () ->
            DefaultClientHighAvailabilityServicesFactory.INSTANCE.create(
                configuration, fatalErrorHandler),
        watch,
        FIRST_BACKOFF);
  }

  /** How the real services are made; it may fail, and is then called again. */
  interface Creation {
    ClientHighAvailabilityServices create() throws Exception;
  }

  /** The services, once created; until then a retriever started on them waits for them. */
  static final class Deferred implements ClientHighAvailabilityServices {
    private final Creation creation;
    private final LeaderWatch watch;
    private final Duration firstBackoff;
    private final Object lock = new Object();
    private final Thread starter;
    private ClientHighAvailabilityServices delegate;
    private final java.util.List<LeaderRetrievalListener> waiting = new java.util.ArrayList<>();
    private final java.util.List<LeaderRetrievalService> started = new java.util.ArrayList<>();
    private boolean closed;

    Deferred(Creation creation, LeaderWatch watch, Duration firstBackoff) {
      this.creation = creation;
      this.watch = watch;
      this.firstBackoff = firstBackoff;
      this.starter = new Thread(this::createUntilDone, "ha-services-start");
      starter.setDaemon(true);
      starter.start();
    }

    private void createUntilDone() {
      Duration backoff = firstBackoff;
      for (int attempt = 1; ; attempt++) {
        synchronized (lock) {
          if (closed) {
            return;
          }
        }
        ClientHighAvailabilityServices created;
        try {
          created = creation.create();
        } catch (Throwable e) { // an Error too: this thread must not die while there is no leader
          LOG.warn(
              "Flink's HA services could not be created (attempt {}), trying again in {} s: {}",
              attempt,
              backoff.toMillis() / 1000.0,
              org.apache.flink.util.ExceptionUtils.stringifyException(e)
                  .lines()
                  .findFirst()
                  .orElse(String.valueOf(e)));
          if (!waitUnlessClosed(backoff)) {
            return;
          }
          Duration doubled = backoff.multipliedBy(2);
          backoff = doubled.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : doubled;
          continue;
        }
        java.util.List<LeaderRetrievalListener> toStart;
        synchronized (lock) {
          if (closed) {
            closeQuietly(created);
            return;
          }
          delegate = created;
          toStart = java.util.List.copyOf(waiting);
          waiting.clear();
        }
        if (attempt > 1) {
          LOG.info("Flink's HA services were created at attempt {}", attempt);
        }
        toStart.forEach(this::startOn);
        return;
      }
    }

    /** Waits {@code backoff}, or less if closed meanwhile; false when closed. */
    private boolean waitUnlessClosed(Duration backoff) {
      long deadline = System.nanoTime() + backoff.toNanos();
      synchronized (lock) {
        while (!closed) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return true;
          }
          try {
            java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(lock, left);
          } catch (InterruptedException interrupted) {
            return false; // closed
          }
        }
        return false;
      }
    }

    /** Whether the thread creating the services has ended within {@code timeout}. */
    boolean awaitStopped(Duration timeout) throws InterruptedException {
      starter.join(timeout.toMillis());
      return !starter.isAlive();
    }

    private void startOn(LeaderRetrievalListener listener) {
      LeaderRetrievalService retrieval;
      synchronized (lock) {
        if (closed) {
          return;
        }
        retrieval = new ObservedRetrieval(delegate.getClusterRestEndpointLeaderRetriever(), watch);
        started.add(retrieval);
      }
      try {
        retrieval.start(listener);
      } catch (Exception e) {
        listener.handleError(e);
      }
      boolean closedMeanwhile;
      synchronized (lock) {
        closedMeanwhile = closed;
      }
      if (closedMeanwhile) {
        try {
          retrieval.stop();
        } catch (Exception e) {
          LOG.debug("Stopping a retrieval started while closing failed", e);
        }
      }
    }

    @Override
    public LeaderRetrievalService getClusterRestEndpointLeaderRetriever() {
      return new LeaderRetrievalService() {
        @Override
        public void start(LeaderRetrievalListener listener) {
          boolean ready;
          synchronized (lock) {
            ready = delegate != null;
            if (!ready) {
              waiting.add(listener);
            }
          }
          if (ready) {
            startOn(listener);
          }
        }

        @Override
        public void stop() {
          // Stopped with the services, in close().
        }
      };
    }

    @Override
    public void close() throws Exception {
      ClientHighAvailabilityServices toClose;
      java.util.List<LeaderRetrievalService> toStop;
      synchronized (lock) {
        closed = true;
        lock.notifyAll();
        toClose = delegate;
        toStop = java.util.List.copyOf(started);
        waiting.clear();
      }
      starter.interrupt();
      for (LeaderRetrievalService retrieval : toStop) {
        retrieval.stop();
      }
      if (toClose != null) {
        toClose.close();
      }
    }

    private static void closeQuietly(ClientHighAvailabilityServices services) {
      try {
        services.close();
      } catch (Exception e) {
        LOG.debug("Closing HA services created after close failed", e);
      }
    }
  }

  record ObservedRetrieval(LeaderRetrievalService delegate, LeaderWatch watch)
      implements LeaderRetrievalService {
    @Override
    public void start(LeaderRetrievalListener listener) throws Exception {
      delegate.start(
          new LeaderRetrievalListener() {
            @Override
            public void notifyLeaderAddress(String leaderAddress, UUID leaderSessionID) {
              // Flink's client first: whoever the watch wakes must reach the new leader.
              try {
                listener.notifyLeaderAddress(leaderAddress, leaderSessionID);
              } finally {
                watch.notifyLeaderAddress(leaderAddress, leaderSessionID);
              }
            }

            @Override
            public void handleError(Exception exception) {
              try {
                listener.handleError(exception);
              } finally {
                watch.handleError(exception);
              }
            }
          });
    }

    @Override
    public void stop() throws Exception {
      delegate.stop();
    }
  }
}
