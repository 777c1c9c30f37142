package dev.flinksupervisor.config;

import java.util.List;

/** Renders the configuration reference from the option declarations, for the README. */
public final class ConfigDocs {
  private ConfigDocs() {}

  public static String markdownTable(List<ConfigOption<?>> options) {
    StringBuilder out =
        new StringBuilder(
            "| Key | Environment variable | Default | Type | Description |\n"
                + "|---|---|---|---|---|\n");
    for (ConfigOption<?> option : options) {
      out.append("| `")
          .append(option.key())
          .append("` | `")
          .append(option.envName())
          .append("` | ")
          .append(option.defaultText())
          .append(" | ")
          .append(option.type())
          .append(" | ")
          .append(option.description().replace("|", "\\|"))
          .append(" |\n");
    }
    return out.toString();
  }

  /** Prints the table; paste it between the README's config-table markers. */
  public static void main(String[] args) {
    System.out.print(markdownTable(SupervisorOptions.ALL));
  }
}
