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
}
