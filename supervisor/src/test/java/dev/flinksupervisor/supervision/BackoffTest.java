package dev.flinksupervisor.supervision;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private final Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(5));

  @Test
  void doubles_from_the_base_up_to_the_cap() {
    assertThat(backoff.delayAfter(0)).isEqualTo(Duration.ofMillis(500));
    assertThat(backoff.delayAfter(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(backoff.delayAfter(3)).isEqualTo(Duration.ofSeconds(4));
    assertThat(backoff.delayAfter(4)).isEqualTo(Duration.ofSeconds(5));
    assertThat(backoff.delayAfter(1000)).isEqualTo(Duration.ofSeconds(5));
  }
}
