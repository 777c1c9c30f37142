package dev.flinksupervisor.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cycle-cost benchmark for real, at small job counts and a short budget. */
class CycleCostBenchmarkTest {

  @Test
  void measures_real_supervision_cycles_with_and_without_meters() throws Exception {
    CycleCostBenchmark.Budget budget =
        new CycleCostBenchmark.Budget(Duration.ZERO, 5, Duration.ZERO, 20, 20);
    CycleCostBenchmark benchmark = new CycleCostBenchmark(List.of(10, 100));

    Map<Integer, CycleCostBenchmark.Measured> measured = benchmark.measureAll(budget);
    List<Figure> figures = benchmark.figures(measured, budget);

    assertThat(measured).containsOnlyKeys(10, 100);
    assertThat(measured.get(10).cycles().count()).isEqualTo(20);
    assertThat(measured.get(100).cycles().median()).isPositive();
    assertThat(figures)
        .extracting(Figure::name)
        .containsExactly(
            "supervision cycle, 10 jobs, median",
            "supervision cycle, 10 jobs, p99",
            "supervision cycle, 10 jobs, median per job",
            "supervision cycle, 100 jobs, median",
            "supervision cycle, 100 jobs, p99",
            "supervision cycle, 100 jobs, median per job");
    assertThat(figures).allSatisfy(f -> assertThat(f.value()).isPositive());
    assertThat(figures).allSatisfy(f -> assertThat(f.met()).isNull());
  }
}
