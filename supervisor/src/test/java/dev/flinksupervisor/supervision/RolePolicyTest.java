package dev.flinksupervisor.supervision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinksupervisor.flink.Leader;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RolePolicyTest {
  private static Optional<Leader> leader(String url) {
    return Optional.of(new Leader(url, "s", Instant.EPOCH));
  }

  @Test
  void without_an_own_address_the_sidecar_is_always_active() {
    RolePolicy policy = new RolePolicy(Optional.empty());

    assertThat(policy.roleFor(Optional.empty())).isEqualTo(Role.ACTIVE);
    assertThat(policy.roleFor(leader("http://10.0.0.7:8081"))).isEqualTo(Role.ACTIVE);
  }

  @Test
  void active_only_beside_the_leading_jobmanager() {
    RolePolicy policy = new RolePolicy(Optional.of("10.0.0.7"));

    assertThat(policy.roleFor(leader("http://10.0.0.7:8081"))).isEqualTo(Role.ACTIVE);
    assertThat(policy.roleFor(leader("https://10.0.0.8:8081"))).isEqualTo(Role.STANDBY);
    assertThat(policy.roleFor(Optional.empty())).isEqualTo(Role.STANDBY);
  }

  @Test
  void host_and_port_tell_jobmanagers_on_one_host_apart() {
    RolePolicy policy = new RolePolicy(Optional.of("127.0.0.1:18081"));

    assertThat(policy.roleFor(leader("http://127.0.0.1:18081"))).isEqualTo(Role.ACTIVE);
    assertThat(policy.roleFor(leader("http://127.0.0.1:18082"))).isEqualTo(Role.STANDBY);
  }

  @Test
  void an_unparseable_leader_url_is_not_ours() {
    RolePolicy policy = new RolePolicy(Optional.of("10.0.0.7"));

    assertThat(policy.roleFor(leader("not a url"))).isEqualTo(Role.STANDBY);
  }
}
