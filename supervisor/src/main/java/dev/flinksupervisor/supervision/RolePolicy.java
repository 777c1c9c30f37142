package dev.flinksupervisor.supervision;

import dev.flinksupervisor.flink.Leader;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides the role from the current REST leader and this pod's own JobManager address.
 *
 * <p>The own address is a host (the pod IP) or {@code host:port}. Without one the sidecar is always
 * ACTIVE: that fits a cluster with a single JobManager. Without a known leader a sidecar with an
 * own address is STANDBY: nobody acts while nobody is known to lead.
 */
public final class RolePolicy {
  private final Optional<String> ownAddress;

  public RolePolicy(Optional<String> ownAddress) {
    this.ownAddress = ownAddress.map(a -> a.trim().toLowerCase(Locale.ROOT));
  }

  public Role roleFor(Optional<Leader> leader) {
    if (ownAddress.isEmpty()) {
      return Role.ACTIVE;
    }
    if (leader.isEmpty()) {
      return Role.STANDBY;
    }
    return isOwn(leader.get().restUrl()) ? Role.ACTIVE : Role.STANDBY;
  }

  private boolean isOwn(String restUrl) {
    URI uri;
    try {
      uri = URI.create(restUrl);
    } catch (IllegalArgumentException e) {
      return false;
    }
    if (uri.getHost() == null) {
      return false;
    }
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    String own = ownAddress.get();
    return own.contains(":") ? own.equals(host + ":" + uri.getPort()) : own.equals(host);
  }
}
