package dev.flinksupervisor.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.runtime.leaderretrieval.LeaderRetrievalListener;
import org.apache.flink.runtime.leaderretrieval.LeaderRetrievalService;
import org.junit.jupiter.api.Test;

class ObservingClientHaServicesFactoryTest {

  @Test
  void flinks_client_knows_the_new_leader_before_any_subscriber_is_woken() throws Exception {
    LeaderWatch watch = new LeaderWatch(Clock.systemUTC());
    AtomicReference<String> clientLeader = new AtomicReference<>();
    List<String> clientLeaderWhenWoken = new CopyOnWriteArrayList<>();
    watch.subscribe(leader -> clientLeaderWhenWoken.add(clientLeader.get()));
    AtomicReference<LeaderRetrievalListener> haWatch = new AtomicReference<>();
    LeaderRetrievalService flinksRetrieval =
        new LeaderRetrievalService() {
          @Override
          public void start(LeaderRetrievalListener listener) {
            haWatch.set(listener);
          }

          @Override
          public void stop() {}
        };
    new ObservingClientHaServicesFactory.ObservedRetrieval(flinksRetrieval, watch)
        .start(
            new LeaderRetrievalListener() {
              @Override
              public void notifyLeaderAddress(String address, UUID sessionId) {
                clientLeader.set(address);
              }

              @Override
              public void handleError(Exception exception) {}
            });

    haWatch.get().notifyLeaderAddress("http://10.0.0.1:8081", UUID.randomUUID());
    haWatch.get().notifyLeaderAddress("http://10.0.0.2:8081", UUID.randomUUID());

    assertThat(clientLeaderWhenWoken)
        .as("a poll woken by a leader change goes to the new leader")
        .containsExactly("http://10.0.0.1:8081", "http://10.0.0.2:8081");
  }

  /** HA services whose retriever announces {@code leader} as soon as it is started. */
  private static org.apache.flink.runtime.highavailability.ClientHighAvailabilityServices
      announcing(String leader, List<String> closed) {
    return new org.apache.flink.runtime.highavailability.ClientHighAvailabilityServices() {
      @Override
      public LeaderRetrievalService getClusterRestEndpointLeaderRetriever() {
        return new LeaderRetrievalService() {
          @Override
          public void start(LeaderRetrievalListener listener) {
            listener.notifyLeaderAddress(leader, UUID.randomUUID());
          }

          @Override
          public void stop() {}
        };
      }

      @Override
      public void close() {
        closed.add(leader);
      }
    };
  }

  @Test
  void services_that_cannot_be_created_yet_are_created_again_until_they_are() throws Exception {
    LeaderWatch watch = new LeaderWatch(Clock.systemUTC());
    java.util.concurrent.atomic.AtomicInteger attempts =
        new java.util.concurrent.atomic.AtomicInteger();
    List<String> closed = new CopyOnWriteArrayList<>();
    java.util.concurrent.CompletableFuture<String> known =
        new java.util.concurrent.CompletableFuture<>();
    var services =
        new ObservingClientHaServicesFactory.Deferred(
            () -> {
              if (attempts.incrementAndGet() < 3) {
                throw new IllegalStateException("the Kubernetes API does not answer");
              }
              return announcing("http://10.0.0.1:8081", closed);
            },
            watch,
            java.time.Duration.ofMillis(5));

    // Flink's REST client starts its retriever at once, before the services exist.
    services
        .getClusterRestEndpointLeaderRetriever()
        .start(
            new LeaderRetrievalListener() {
              @Override
              public void notifyLeaderAddress(String address, UUID sessionId) {
                known.complete(address);
              }

              @Override
              public void handleError(Exception exception) {
                known.completeExceptionally(exception);
              }
            });

    assertThat(known.get(10, java.util.concurrent.TimeUnit.SECONDS))
        .isEqualTo("http://10.0.0.1:8081");
    assertThat(attempts.get()).isEqualTo(3);
    services.close();
    assertThat(closed).containsExactly("http://10.0.0.1:8081");
  }

  @Test
  void closed_before_they_could_be_created_nothing_is_started_and_the_attempts_stop()
      throws Exception {
    LeaderWatch watch = new LeaderWatch(Clock.systemUTC());
    java.util.concurrent.atomic.AtomicInteger attempts =
        new java.util.concurrent.atomic.AtomicInteger();
    var services =
        new ObservingClientHaServicesFactory.Deferred(
            () -> {
              attempts.incrementAndGet();
              throw new IllegalStateException("the Kubernetes API does not answer");
            },
            watch,
            java.time.Duration.ofMillis(50));
    services.close();
    int afterClose = attempts.get();

    assertThat(services.awaitStopped(java.time.Duration.ofSeconds(10)))
        .as("the attempts stop")
        .isTrue();
    assertThat(attempts.get()).as("no attempt after close").isLessThanOrEqualTo(afterClose + 1);
  }
}
