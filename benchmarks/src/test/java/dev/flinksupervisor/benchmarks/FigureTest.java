package dev.flinksupervisor.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FigureTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void a_figure_is_one_json_object_with_the_specified_fields_in_order() throws Exception {
    Figure f =
        Figure.of(
            "throughput", 7041.26, "req/s", "Flink", 3904.0, Target.ratioAtLeast(2), "8 workers");

    JsonNode json = JSON.readTree(JSON.writeValueAsString(f));

    List<String> fields = new ArrayList<>();
    json.fieldNames().forEachRemaining(fields::add);
    assertThat(fields)
        .containsExactly(
            "name",
            "value",
            "unit",
            "reference_name",
            "reference_value",
            "ratio",
            "target",
            "met",
            "detail",
            "error");
    assertThat(json.get("value").asDouble()).isEqualTo(7041.26);
    assertThat(json.get("reference_value").asDouble()).isEqualTo(3904.0);
    assertThat(json.get("ratio").asDouble()).isEqualTo(1.804);
    assertThat(json.get("target").asText()).isEqualTo("ratio ≥ 2");
    assertThat(json.get("met").asBoolean()).isFalse();
    assertThat(json.get("error").isNull()).isTrue();
  }

  @Test
  void a_figure_without_reference_or_target_has_nulls_there() throws Exception {
    JsonNode json =
        JSON.readTree(JSON.writeValueAsString(Figure.of("cpu", 2.8, "%", null, "window")));

    assertThat(json.get("reference_name").isNull()).isTrue();
    assertThat(json.get("reference_value").isNull()).isTrue();
    assertThat(json.get("ratio").isNull()).isTrue();
    assertThat(json.get("target").isNull()).isTrue();
    assertThat(json.get("met").isNull()).isTrue();
  }

  @Test
  void targets_on_the_value_include_their_bound() {
    Target atMost = Target.valueAtMost(500, "ms");

    assertThat(Figure.of("p99", 500, "ms", atMost, "").met()).isTrue();
    assertThat(Figure.of("p99", 500.4, "ms", atMost, "").met()).isFalse();
    assertThat(atMost.describe()).isEqualTo("≤ 500 ms");
  }

  @Test
  void a_ratio_target_is_checked_against_the_unrounded_ratio() {
    Figure justBelow =
        Figure.of("savepoint", 104.9996, "ms", "direct", 100.0, Target.ratioAtMost(1.05), "");

    assertThat(justBelow.ratio()).isEqualTo(1.05);
    assertThat(justBelow.met()).isTrue();
    assertThat(
            Figure.of("savepoint", 105.01, "ms", "direct", 100.0, Target.ratioAtMost(1.05), "")
                .met())
        .isFalse();
  }

  @Test
  void a_failed_benchmark_is_a_figure_with_its_error_and_no_value() throws Exception {
    Figure f = Figure.failed("failover", new IllegalStateException("no leader"));

    JsonNode json = JSON.readTree(JSON.writeValueAsString(f));

    assertThat(f.failed()).isTrue();
    assertThat(json.get("name").asText()).isEqualTo("failover");
    assertThat(json.get("value").isNull()).isTrue();
    assertThat(json.get("error").asText()).isEqualTo("IllegalStateException: no leader");
  }
}
