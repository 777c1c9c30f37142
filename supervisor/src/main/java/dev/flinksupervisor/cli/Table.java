package dev.flinksupervisor.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A plain text table: a header row, then one row per item, columns two spaces apart and as wide as
 * their widest cell, no trailing blanks. A missing cell shows as {@code -}; numeric columns may be
 * right-aligned.
 */
final class Table {
  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();
  private final Set<Integer> rightAligned = new HashSet<>();

  Table(String... headers) {
    this.headers = List.of(headers);
  }

  /** Right-aligns the columns with these (0-based) indexes. */
  Table alignRight(int... columns) {
    Arrays.stream(columns).forEach(rightAligned::add);
    return this;
  }

  Table row(Object... cells) {
    if (cells.length != headers.size()) {
      throw new IllegalArgumentException(
          "A row of " + cells.length + " cells in a table of " + headers.size() + " columns");
    }
    List<String> row = new ArrayList<>(cells.length);
    for (Object cell : cells) {
      String text = cell == null ? "-" : Problems.oneLine(cell.toString());
      row.add(text.isEmpty() ? "-" : text);
    }
    rows.add(row);
    return this;
  }

  int size() {
    return rows.size();
  }

  String render() {
    int[] widths = new int[headers.size()];
    for (int c = 0; c < widths.length; c++) {
      widths[c] = headers.get(c).length();
      for (List<String> row : rows) {
        widths[c] = Math.max(widths[c], row.get(c).length());
      }
    }
    StringBuilder out = new StringBuilder();
    line(out, headers, widths);
    for (List<String> row : rows) {
      line(out, row, widths);
    }
    return out.toString();
  }

  private void line(StringBuilder out, List<String> cells, int[] widths) {
    StringBuilder line = new StringBuilder();
    for (int c = 0; c < cells.size(); c++) {
      String cell = cells.get(c);
      String pad = " ".repeat(widths[c] - cell.length());
      if (c > 0) {
        line.append("  ");
      }
      line.append(rightAligned.contains(c) ? pad + cell : cell + pad);
    }
    out.append(line.toString().stripTrailing()).append('\n');
  }
}
