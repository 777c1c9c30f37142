package dev.flinksupervisor.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ResultTableTest {
  private static final List<Figure> FIGURES =
      List.of(
          Figure.of("p99", 519, "ms", "bare loop", 20.0, Target.valueAtMost(500, "ms"), ""),
          Figure.of("median", 16, "ms", Target.valueAtMost(20, "ms"), ""),
          Figure.of("cpu", 2.8, "% of a core", null, ""),
          Figure.failed("failover", new IllegalStateException("no leader")));

  @Test
  void columns_are_aligned_and_each_figure_says_whether_it_met_its_target() {
    List<String> lines = ResultTable.text(FIGURES).lines().toList();

    assertThat(lines).hasSize(2 + FIGURES.size());
    assertThat(lines.get(0)).startsWith("Figure").contains("Reference value").endsWith("Result");
    assertThat(lines.get(1)).matches("[- ]+");
    int resultColumn = lines.get(0).indexOf("Result");
    assertThat(lines.get(2).substring(resultColumn)).isEqualTo("MISSED");
    assertThat(lines.get(3).substring(resultColumn)).isEqualTo("MET");
    assertThat(lines.get(4).substring(resultColumn)).isEqualTo("—");
    assertThat(lines.get(5).substring(resultColumn)).isEqualTo("ERROR");
    int valueColumn = lines.get(0).indexOf("Value");
    assertThat(lines.get(2).substring(valueColumn)).startsWith("519 ms ");
    assertThat(lines.get(3).substring(valueColumn)).startsWith("16 ms ");
    assertThat(lines.get(5).substring(valueColumn)).startsWith("IllegalStateException: no leader");
  }

  @Test
  void the_markdown_table_has_a_row_per_figure() {
    List<String> lines = ResultTable.markdown(FIGURES).lines().toList();

    assertThat(lines).hasSize(2 + FIGURES.size());
    assertThat(lines.get(1)).isEqualTo("|---|---|---|---|---|---|---|");
    assertThat(lines.get(2))
        .isEqualTo("| p99 | 519 ms | bare loop | 20 ms | 26 | ≤ 500 ms | MISSED |");
    assertThat(lines.get(4)).isEqualTo("| cpu | 2.8 % of a core | — | — | — | — | — |");
  }

  @Test
  void numbers_are_printed_with_three_significant_digits_at_most() {
    assertThat(Numbers.format(7041.26)).isEqualTo("7041");
    assertThat(Numbers.format(15.94)).isEqualTo("15.9");
    assertThat(Numbers.format(5.584)).isEqualTo("5.58");
    assertThat(Numbers.format(0.8264)).isEqualTo("0.826");
    assertThat(Numbers.format(10.0)).isEqualTo("10");
  }
}
