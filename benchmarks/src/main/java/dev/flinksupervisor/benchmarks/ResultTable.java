package dev.flinksupervisor.benchmarks;

import java.util.ArrayList;
import java.util.List;

/**
 * The figures as a table: aligned text for the console, Markdown for the README. The last column
 * says MET or MISSED for a figure with a target, ERROR for a benchmark that failed.
 */
public final class ResultTable {
  static final List<String> HEADER =
      List.of("Figure", "Value", "Reference", "Reference value", "Ratio", "Target", "Result");

  private ResultTable() {}

  /** The result column of one figure. */
  static String result(Figure f) {
    if (f.failed()) {
      return "ERROR";
    }
    if (f.met() == null) {
      return "—";
    }
    return f.met() ? "MET" : "MISSED";
  }

  static List<String> row(Figure f) {
    return List.of(
        f.name(),
        f.failed() ? f.error() : withUnit(f.value(), f.unit()),
        f.referenceName() == null ? "—" : f.referenceName(),
        f.referenceValue() == null ? "—" : withUnit(f.referenceValue(), f.unit()),
        f.ratio() == null ? "—" : Numbers.format(f.ratio()),
        f.target() == null ? "—" : f.target(),
        result(f));
  }

  private static String withUnit(Double value, String unit) {
    if (value == null) {
      return "—";
    }
    return Numbers.format(value) + (unit == null || unit.isEmpty() ? "" : " " + unit);
  }

  /** Columns padded to their widest cell, separated by two spaces; a rule under the header. */
  public static String text(List<Figure> figures) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(HEADER);
    figures.forEach(f -> rows.add(row(f)));
    int[] widths = new int[HEADER.size()];
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], width(row.get(i)));
      }
    }
    StringBuilder out = new StringBuilder();
    for (int r = 0; r < rows.size(); r++) {
      out.append(line(rows.get(r), widths));
      if (r == 0) {
        List<String> rule = new ArrayList<>();
        for (int width : widths) {
          rule.add("-".repeat(width));
        }
        out.append(line(rule, widths));
      }
    }
    return out.toString();
  }

  private static String line(List<String> cells, int[] widths) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String cell = cells.get(i);
      line.append(cell);
      if (i < cells.size() - 1) {
        line.append(" ".repeat(widths[i] - width(cell) + 2));
      }
    }
    return line.toString().stripTrailing() + "\n";
  }

  private static int width(String cell) {
    return cell.codePointCount(0, cell.length());
  }

  /** A Markdown table of the same rows. */
  public static String markdown(List<Figure> figures) {
    StringBuilder out = new StringBuilder();
    out.append(markdownRow(HEADER));
    out.append("|").append("---|".repeat(HEADER.size())).append("\n");
    figures.forEach(f -> out.append(markdownRow(row(f))));
    return out.toString();
  }

  private static String markdownRow(List<String> cells) {
    StringBuilder row = new StringBuilder("|");
    for (String cell : cells) {
      row.append(" ").append(cell.replace("|", "\\|")).append(" |");
    }
    return row.append("\n").toString();
  }
}
