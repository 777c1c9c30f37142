package dev.flinksupervisor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TableTest {
  @Test
  void columns_are_as_wide_as_their_widest_cell_two_spaces_apart() {
    String table =
        new Table("ID", "NAME", "RESTARTS")
            .alignRight(2)
            .row("a1", "orders", 0)
            .row("b22", null, 12)
            .render();

    assertThat(table)
        .isEqualTo(
            """
            ID   NAME    RESTARTS
            a1   orders         0
            b22  -             12
            """);
  }

  @Test
  void no_line_ends_in_blanks_and_cells_stay_on_one_line() {
    String table = new Table("A", "MESSAGE").row("x", "two\nlines").row("longer", "").render();

    assertThat(table.lines()).allSatisfy(l -> assertThat(l).doesNotEndWith(" "));
    assertThat(table).contains("x       two lines").contains("longer  -");
    assertThat(table.lines()).hasSize(3);
  }
}
