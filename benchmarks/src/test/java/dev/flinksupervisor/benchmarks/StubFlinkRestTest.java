package dev.flinksupervisor.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StubFlinkRestTest {
  private static final String RECORDED = "6340f56eaaae7690ec3eb2b268d45bf3";

  private static StubFlinkRest.Recording recording() throws Exception {
    return new StubFlinkRest.Recording(
        RECORDED,
        "{\"taskmanagers\":1}",
        Http.JSON.readTree(
            "{\"jid\":\"" + RECORDED + "\",\"name\":\"steady\",\"state\":\"RUNNING\"}"),
        "{\"jid\":\"" + RECORDED + "\",\"state\":\"RUNNING\"}",
        "{\"counts\":{\"completed\":3},\"path\":\"chk/" + RECORDED + "\"}",
        "[{\"id\":\"numRestarts\",\"value\":\"0\"}]",
        "{\"exceptionHistory\":{\"entries\":[]}}");
  }

  @Test
  void the_recorded_job_is_served_as_many_jobs_over_http() throws Exception {
    try (StubFlinkRest stub = StubFlinkRest.start(recording(), 3)) {
      Http http = new Http();

      JsonNode jobs = http.json(stub.url() + "/v1/jobs/overview", null).get("jobs");
      String third = String.format("%032x", 3);
      String checkpoints = http.body(stub.url() + "/jobs/" + third + "/checkpoints", null);

      assertThat(jobs).hasSize(3);
      assertThat(jobs.get(2).get("jid").asText()).isEqualTo(third);
      assertThat(jobs.get(2).get("name").asText()).isEqualTo("job-2");
      assertThat(jobs.get(2).get("state").asText()).isEqualTo("RUNNING");
      assertThat(checkpoints)
          .isEqualTo("{\"counts\":{\"completed\":3},\"path\":\"chk/" + third + "\"}");
      assertThat(http.body(stub.url() + "/v1/jobs/" + third + "/metrics?get=numRestarts", null))
          .contains("numRestarts");
      assertThat(http.status(stub.url() + "/jobs/" + String.format("%032x", 4), null))
          .isEqualTo(404);
      assertThat(http.status(stub.url() + "/jobs/" + RECORDED, null)).isEqualTo(404);
    }
  }

  @Test
  void unknown_paths_are_not_found() throws Exception {
    try (StubFlinkRest stub = StubFlinkRest.start(recording(), 1)) {
      assertThat(stub.answer("/taskmanagers")).isNull();
      assertThat(new String(stub.answer("/overview"), StandardCharsets.UTF_8))
          .isEqualTo("{\"taskmanagers\":1}");
    }
  }
}
