package dev.flinksupervisor.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flinksupervisor.client.api.JobsApi;
import dev.flinksupervisor.client.api.ProbesApi;
import dev.flinksupervisor.client.api.SavepointsApi;
import dev.flinksupervisor.client.model.Job;
import dev.flinksupervisor.client.model.JobList;
import dev.flinksupervisor.client.model.SavepointList;
import dev.flinksupervisor.client.model.SavepointRecord;
import dev.flinksupervisor.client.model.SavepointRequest;
import dev.flinksupervisor.config.SupervisorOptions;
import dev.flinksupervisor.demo.Await;
import dev.flinksupervisor.demo.Demo;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client openapi-generator makes from docs/openapi.json, against a live sidecar (the demo: a
 * Flink cluster with Kubernetes HA and its sidecar): list the jobs, trigger a savepoint and read it
 * back until it completed, and be refused without a token.
 */
class GeneratedClientITCase {
  private static final String TOKEN = "client-it-operator-token";
  private static final Duration PATIENCE = Duration.ofSeconds(90);

  @TempDir static Path workDir;
  private static Demo demo;
  private static ApiClient client;

  @BeforeAll
  static void startSidecar() throws Exception {
    demo =
        Demo.start(
            workDir,
            Map.of(
                SupervisorOptions.API_HOST.key(), "127.0.0.1",
                SupervisorOptions.API_PORT.key(), "0",
                SupervisorOptions.ADMIN_TOKEN.key(), TOKEN),
            Clock.systemUTC());
    client = new ApiClient();
    client.setHost("127.0.0.1");
    client.setPort(demo.apiPort());
    client.setScheme("http");
    client.setRequestInterceptor(r -> r.header("Authorization", "Bearer " + TOKEN));
    client.setReadTimeout(Duration.ofSeconds(30));
  }

  @AfterAll
  static void stopSidecar() throws Exception {
    if (demo != null) {
      demo.close();
    }
  }

  @Test
  void lists_jobs_triggers_a_savepoint_and_reads_it_back() throws Exception {
    JobsApi jobs = new JobsApi(client);
    String jobId = demo.jobId().toHexString();
    Job running =
        until(
            "the demo job RUNNING in the job list",
            () -> {
              JobList list = call(jobs::listJobs);
              return list == null
                  ? null
                  : list.getJobs().stream()
                      .filter(j -> j.getId().equals(jobId) && "RUNNING".equals(j.getStatus()))
                      .findFirst()
                      .orElse(null);
            });
    assertThat(running.getName()).isNotBlank();
    assertThat(running.getHealth().getVerdict()).isNotNull();

    SavepointsApi savepoints = new SavepointsApi(client);
    SavepointRecord accepted =
        until(
            "the savepoint accepted (the sidecar is ACTIVE)",
            () -> call(() -> savepoints.triggerSavepoint(jobId, new SavepointRequest())));
    assertThat(accepted.getJobId()).isEqualTo(jobId);
    assertThat(accepted.getOrigin()).isEqualTo(SavepointRecord.OriginEnum.MANUAL);

    SavepointRecord completed =
        until(
            "the savepoint completed",
            () -> {
              SavepointRecord r = call(() -> savepoints.getSavepoint(jobId, accepted.getId()));
              return r != null && r.getState() == SavepointRecord.StateEnum.COMPLETED ? r : null;
            });
    assertThat(completed.getPath()).isNotBlank();
    assertThat(completed.getCompletedAt()).isNotNull();

    SavepointList listed = savepoints.listSavepoints(jobId);
    assertThat(listed.getSavepoints())
        .anySatisfy(
            s -> {
              assertThat(s.getId()).isEqualTo(accepted.getId());
              assertThat(s.getPath()).isEqualTo(completed.getPath());
            });
  }

  @Test
  void a_refusal_arrives_as_an_api_exception_with_the_problem() {
    ApiClient anonymous = new ApiClient();
    anonymous.setHost("127.0.0.1");
    anonymous.setPort(demo.apiPort());
    assertThatThrownBy(() -> new JobsApi(anonymous).listJobs())
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(401);
              assertThat(e.getResponseBody()).contains("\"status\":401");
            });
    assertThat(call(() -> new ProbesApi(anonymous).healthz()).getStatus()).isEqualTo("UP");
  }

  /** A call that may be refused while the sidecar starts (503, 409 on standby): null then. */
  private static <T> T call(ThrowingSupplier<T> call) {
    try {
      return call.get();
    } catch (ApiException e) {
      if (e.getCode() == 409 || e.getCode() == 503) {
        return null;
      }
      throw new AssertionError("HTTP " + e.getCode() + ": " + e.getResponseBody(), e);
    }
  }

  private static <T> T until(String what, java.util.function.Supplier<T> probe) throws Exception {
    return Await.until(what, PATIENCE, probe);
  }

  @FunctionalInterface
  interface ThrowingSupplier<T> {
    T get() throws ApiException;
  }
}
