package dev.flinksupervisor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProblemsTest {
  private static final String JSON = "application/problem+json";

  @Test
  void a_problem_detail_is_one_line_with_status_title_and_detail() {
    String body =
        """
        {"type":"https://flink-supervisor.dev/problems/standby","title":"This sidecar is on standby",
         "status":409,
         "detail":"Only the ACTIVE sidecar acts; the active one is the one beside the leading JobManager http://10.0.0.7:8081."}
        """;

    assertThat(Problems.line(409, JSON, body, null))
        .isEqualTo(
            "error: 409 This sidecar is on standby: Only the ACTIVE sidecar acts; the active one is"
                + " the one beside the leading JobManager http://10.0.0.7:8081.");
  }

  @Test
  void the_field_at_fault_when_to_retry_and_the_correlation_id_are_kept() {
    assertThat(
            Problems.line(
                400,
                JSON,
                "{\"title\":\"Bad request\",\"status\":400,\"detail\":\"must be absolute\",\"field\":\"targetDirectory\"}",
                null))
        .isEqualTo("error: 400 Bad request: must be absolute (field 'targetDirectory')");
    assertThat(
            Problems.line(
                503,
                JSON,
                "{\"title\":\"The sidecar's record is not read yet\",\"status\":503}",
                "5"))
        .isEqualTo("error: 503 The sidecar's record is not read yet (retry after 5s)");
    assertThat(
            Problems.line(
                500,
                "application/problem+json;charset=utf-8",
                "{\"title\":\"Internal error\",\"status\":500,\"correlationId\":\"c-42\"}",
                null))
        .isEqualTo("error: 500 Internal error (correlation id c-42)");
  }

  @Test
  void other_bodies_give_the_status_and_their_first_line_but_no_html() {
    assertThat(Problems.line(502, "text/plain", "upstream connect error\nmore", null))
        .isEqualTo("error: 502 Bad gateway: upstream connect error");
    assertThat(Problems.line(504, "text/html", "<html><body>Gateway Timeout</body></html>", null))
        .isEqualTo("error: 504 Gateway timeout");
    assertThat(Problems.line(418, "application/json", "{\"odd\":true}", null))
        .isEqualTo("error: 418 HTTP error: {\"odd\":true}");
    assertThat(Problems.line(404, "", "", null)).isEqualTo("error: 404 Not found");
  }

  @Test
  void every_status_has_its_exit_code() {
    assertThat(ExitCodes.forStatus(404)).isEqualTo(3);
    assertThat(ExitCodes.forStatus(401)).isEqualTo(4);
    assertThat(ExitCodes.forStatus(403)).isEqualTo(4);
    assertThat(ExitCodes.forStatus(409)).isEqualTo(5);
    assertThat(ExitCodes.forStatus(429)).isEqualTo(5);
    assertThat(ExitCodes.forStatus(503)).isEqualTo(5);
    assertThat(ExitCodes.forStatus(400)).isEqualTo(2);
    assertThat(ExitCodes.forStatus(413)).isEqualTo(2);
    assertThat(ExitCodes.forStatus(415)).isEqualTo(2);
    assertThat(ExitCodes.forStatus(422)).isEqualTo(1);
    assertThat(ExitCodes.forStatus(500)).isEqualTo(1);
    assertThat(ExitCodes.forStatus(502)).isEqualTo(6);
    assertThat(ExitCodes.forStatus(504)).isEqualTo(6);
    assertThat(Problems.toException(404, JSON, "{\"title\":\"Not found\"}", null).exitCode())
        .isEqualTo(3);
  }
}
