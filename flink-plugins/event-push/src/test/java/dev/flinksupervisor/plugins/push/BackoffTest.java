package dev.flinksupervisor.plugins.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void doubles_up_to_the_maximum_and_starts_over_after_a_reset() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));

    assertThat(backoff.next()).isEqualTo(Duration.ofMillis(100));
    assertThat(backoff.next()).isEqualTo(Duration.ofMillis(200));
    assertThat(backoff.next()).isEqualTo(Duration.ofMillis(400));
    for (int i = 0; i < 3; i++) {
      backoff.next();
    }
    assertThat(backoff.next()).isEqualTo(Duration.ofMillis(5000));
    assertThat(backoff.next()).isEqualTo(Duration.ofMillis(5000));

    backoff.reset();
    assertThat(backoff.next()).isEqualTo(Duration.ofMillis(100));
  }
}
