package dev.flinksupervisor.plugins.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.util.TimeUtils;
import org.junit.jupiter.api.Test;

/** The README's option table lists every option of the plugin with its default. */
class ReadmeSectionTest {

  @Test
  void every_option_is_documented_with_its_default() throws IOException {
    String readme = Files.readString(Path.of("../../README.md"));

    for (ConfigOption<?> option : PushOptions.ALL) {
      String row = "| `events.reporter.supervisor." + option.key() + "` |";
      assertThat(readme).as(option.key()).contains(row);
      String line = readme.lines().filter(l -> l.startsWith(row)).findFirst().orElseThrow();
      if (option.hasDefaultValue()) {
        assertThat(line).as(option.key()).contains("`" + text(option.defaultValue()) + "`");
      }
    }
  }

  private static String text(Object value) {
    return value instanceof Duration duration
        ? TimeUtils.formatWithHighestUnit(duration)
        : value.toString();
  }
}
