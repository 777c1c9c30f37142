package dev.flinksupervisor.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PercentilesTest {

  private static Percentiles oneToHundred() {
    return Percentiles.of(IntStream.rangeClosed(1, 100).asDoubleStream().toArray());
  }

  @Test
  void nearest_rank_of_one_to_a_hundred() {
    Percentiles p = oneToHundred();

    assertThat(p.median()).isEqualTo(50);
    assertThat(p.p99()).isEqualTo(99);
    assertThat(p.percentile(100)).isEqualTo(100);
    assertThat(p.percentile(0.5)).isEqualTo(1);
    assertThat(p.min()).isEqualTo(1);
    assertThat(p.max()).isEqualTo(100);
    assertThat(p.mean()).isEqualTo(50.5);
    assertThat(p.count()).isEqualTo(100);
  }

  @Test
  void order_of_the_input_does_not_matter() {
    Percentiles p = Percentiles.of(List.of(30, 10, 20));

    assertThat(p.median()).isEqualTo(20);
    assertThat(p.min()).isEqualTo(10);
    assertThat(p.max()).isEqualTo(30);
  }

  @Test
  void with_fewer_than_a_hundred_values_p99_is_the_maximum() {
    Percentiles p = Percentiles.of(IntStream.rangeClosed(1, 30).asDoubleStream().toArray());

    assertThat(p.p99()).isEqualTo(30);
    assertThat(p.median()).isEqualTo(15);
  }

  @Test
  void a_rank_that_is_whole_in_decimal_is_not_rounded_up() {
    Percentiles p = Percentiles.of(IntStream.rangeClosed(1, 200).asDoubleStream().toArray());

    assertThat(p.p99()).isEqualTo(198);
    assertThat(
            Percentiles.of(IntStream.rangeClosed(1, 1000).asDoubleStream().toArray())
                .percentile(99.9))
        .isEqualTo(999);
  }

  @Test
  void a_single_value_is_every_percentile() {
    Percentiles p = Percentiles.of(7L);

    assertThat(p.median()).isEqualTo(7);
    assertThat(p.p99()).isEqualTo(7);
  }

  @Test
  void the_input_is_not_changed() {
    double[] values = {3, 1, 2};

    Percentiles.of(values);

    assertThat(values).containsExactly(3, 1, 2);
  }

  @Test
  void no_values_and_out_of_range_percentiles_are_refused() {
    assertThatThrownBy(() -> Percentiles.of(new double[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> oneToHundred().percentile(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> oneToHundred().percentile(101))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
