package dev.flinksupervisor.flink;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.flink.runtime.leaderretrieval.LeaderRetrievalListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the REST leader as Flink's HA leader retrieval announces it. It sees exactly the
 * notifications that Flink's REST client acts on (see {@link ObservingClientHaServicesFactory}), so
 * what the sidecar reports as leader is the endpoint its requests go to.
 */
public final class LeaderWatch implements LeaderRetrievalListener {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderWatch.class);

  private final Clock clock;
  private final AtomicReference<Leader> current = new AtomicReference<>();
  private final List<Consumer<Optional<Leader>>> subscribers = new CopyOnWriteArrayList<>();

  public LeaderWatch(Clock clock) {
    this.clock = clock;
  }

  public Optional<Leader> current() {
    return Optional.ofNullable(current.get());
  }

  /** Called on every change of leader, including "no leader" (empty). */
  public void subscribe(Consumer<Optional<Leader>> subscriber) {
    subscribers.add(subscriber);
  }

  @Override
  public void notifyLeaderAddress(String leaderAddress, UUID leaderSessionId) {
    Leader next =
        leaderAddress == null || leaderAddress.isEmpty()
            ? null
            : new Leader(leaderAddress, String.valueOf(leaderSessionId), clock.instant());
    Leader previous = current.get();
    if (sameLeader(previous, next)) {
      return;
    }
    current.set(next);
    LOG.info(
        "REST leader changed: {} -> {}",
        previous == null ? "none" : previous.restUrl(),
        next == null ? "none" : next.restUrl());
    Optional<Leader> announced = Optional.ofNullable(next);
    for (Consumer<Optional<Leader>> subscriber : subscribers) {
      try {
        subscriber.accept(announced);
      } catch (RuntimeException e) {
        LOG.warn("A leader-change subscriber failed", e);
      }
    }
  }

  /** When the last error was logged: a watch that keeps failing is logged once a minute. */
  private final AtomicReference<java.time.Instant> errorLoggedAt = new AtomicReference<>();

  @Override
  public void handleError(Exception exception) {
    java.time.Instant now = clock.instant();
    java.time.Instant last = errorLoggedAt.get();
    if (last == null || !last.plusSeconds(60).isAfter(now)) {
      errorLoggedAt.set(now);
      LOG.warn("Leader retrieval reported an error (repeats are logged once a minute)", exception);
    } else {
      LOG.debug("Leader retrieval reported an error again: {}", exception.toString());
    }
  }

  private static boolean sameLeader(Leader a, Leader b) {
    if (a == null || b == null) {
      return a == b;
    }
    return a.restUrl().equals(b.restUrl()) && Objects.equals(a.sessionId(), b.sessionId());
  }
}
