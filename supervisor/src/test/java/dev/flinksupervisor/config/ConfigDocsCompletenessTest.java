package dev.flinksupervisor.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's configuration reference is exactly what the option declarations say. */
class ConfigDocsCompletenessTest {
  private static final String START = "<!-- config-table:start -->\n";
  private static final String END = "<!-- config-table:end -->";

  @Test
  void readme_configuration_table_matches_the_options() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    int start = readme.indexOf(START);
    int end = readme.indexOf(END);
    assertThat(start).as("README has the %s marker", START.trim()).isNotNegative();
    assertThat(end).as("README has the %s marker", END).isGreaterThan(start);

    String documented = readme.substring(start + START.length(), end);
    String expected = ConfigDocs.markdownTable(SupervisorOptions.ALL);
    assertThat(documented)
        .as("README configuration table; regenerate it with ConfigDocs.main")
        .isEqualTo(expected);
  }
}
