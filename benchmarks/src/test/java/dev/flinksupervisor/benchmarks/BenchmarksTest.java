package dev.flinksupervisor.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinksupervisor.benchmarks.Benchmark.Mode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchmarksTest {
  private static final List<String> KNOWN = List.of("cycle-cost", "failover");

  @TempDir Path dir;

  @Test
  void the_full_run_is_the_default() {
    Benchmarks.Options options = Benchmarks.Options.parse(new String[0], KNOWN);

    assertThat(options.mode()).isEqualTo(Mode.FULL);
    assertThat(options.only()).isEmpty();
    assertThat(options.out()).isEqualTo(Path.of("benchmarks", "results"));
  }

  @Test
  void quick_only_and_out_are_read() {
    Benchmarks.Options options =
        Benchmarks.Options.parse(
            new String[] {"--quick", "--only", "failover,cycle-cost", "--out", "x"}, KNOWN);

    assertThat(options.mode()).isEqualTo(Mode.QUICK);
    assertThat(options.only()).containsExactly("failover", "cycle-cost");
    assertThat(options.out()).isEqualTo(Path.of("x"));
    assertThat(options.sidecarFlags()).as("the image's flags unless told").isNull();
  }

  @Test
  void sidecar_flags_replace_the_images_for_one_run() {
    Benchmarks.Options options =
        Benchmarks.Options.parse(
            new String[] {"--sidecar-flags", " -XX:+UseSerialGC  -Xmx64m "}, KNOWN);

    assertThat(options.sidecarFlags()).containsExactly("-XX:+UseSerialGC", "-Xmx64m");
    assertThatThrownBy(() -> Benchmarks.Options.parse(new String[] {"--sidecar-flags"}, KNOWN))
        .hasMessageContaining("--sidecar-flags");
  }

  @Test
  void unknown_arguments_and_benchmarks_are_refused_by_name() {
    assertThatThrownBy(() -> Benchmarks.Options.parse(new String[] {"--fast"}, KNOWN))
        .hasMessageContaining("'--fast'");
    assertThatThrownBy(() -> Benchmarks.Options.parse(new String[] {"--only", "api"}, KNOWN))
        .hasMessageContaining("'api'")
        .hasMessageContaining("cycle-cost, failover");
  }

  @Test
  void results_are_an_array_of_figures_beside_the_machine_and_a_markdown_table() throws Exception {
    List<Figure> figures =
        List.of(
            Figure.of("p99", 519, "ms", Target.valueAtMost(500, "ms"), ""),
            Figure.failed("failover", new IllegalStateException("no leader")));
    Map<String, Object> run =
        Map.of("mode", "quick", "started_at", "now", "machine", Machine.describe());

    Benchmarks.write(dir, figures, run);

    JsonNode latest = Http.JSON.readTree(Files.readString(dir.resolve("latest.json")));
    assertThat(latest.isArray()).isTrue();
    assertThat(latest).hasSize(2);
    assertThat(latest.get(0).get("met").asBoolean()).isFalse();
    JsonNode machine = Http.JSON.readTree(Files.readString(dir.resolve("machine.json")));
    assertThat(machine.get("mode").asText()).isEqualTo("quick");
    assertThat(machine.at("/machine/nproc").asInt()).isPositive();
    assertThat(Files.readString(dir.resolve("latest.md")))
        .contains("| p99 | 519 ms |")
        .contains("ERROR");
  }
}
