package dev.flinksupervisor.supervision;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * The one place the latest {@link ClusterSnapshot} lives. Writers replace it atomically; readers
 * (the admin API) always see a consistent value and never wait.
 */
public final class ClusterState {
  private final AtomicReference<ClusterSnapshot> current =
      new AtomicReference<>(ClusterSnapshot.EMPTY);

  public ClusterSnapshot snapshot() {
    return current.get();
  }

  public ClusterSnapshot update(UnaryOperator<ClusterSnapshot> change) {
    return current.updateAndGet(change);
  }
}
