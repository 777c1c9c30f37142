package dev.flinksupervisor.flink;

import java.util.UUID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.highavailability.ClientHighAvailabilityServices;
import org.apache.flink.runtime.highavailability.ClientHighAvailabilityServicesFactory;
import org.apache.flink.runtime.highavailability.DefaultClientHighAvailabilityServicesFactory;
import org.apache.flink.runtime.leaderretrieval.LeaderRetrievalListener;
import org.apache.flink.runtime.leaderretrieval.LeaderRetrievalService;
import org.apache.flink.runtime.rpc.FatalErrorHandler;

/**
 * Flink's own client HA services (for {@code high-availability.type: kubernetes}: a watch on {@code
 * <cluster-id>-cluster-config-map}), with every REST-leader notification also handed to a {@link
 * LeaderWatch}, after Flink's REST client has it. The REST client and the sidecar thus share one
 * watch and always agree on who leads, and a poll woken by a leader change goes to the new leader.
 * The sidecar only reads: it never joins the election.
 */
final class ObservingClientHaServicesFactory implements ClientHighAvailabilityServicesFactory {
  private final LeaderWatch watch;

  ObservingClientHaServicesFactory(LeaderWatch watch) {
    this.watch = watch;
  }

  @Override
  public ClientHighAvailabilityServices create(
      Configuration configuration, FatalErrorHandler fatalErrorHandler) throws Exception {
    ClientHighAvailabilityServices delegate =
        DefaultClientHighAvailabilityServicesFactory.INSTANCE.create(
            configuration, fatalErrorHandler);
    return new ClientHighAvailabilityServices() {
      @Override
      public LeaderRetrievalService getClusterRestEndpointLeaderRetriever() {
        return new ObservedRetrieval(delegate.getClusterRestEndpointLeaderRetriever(), watch);
      }

      @Override
      public void close() throws Exception {
        delegate.close();
      }
    };
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
