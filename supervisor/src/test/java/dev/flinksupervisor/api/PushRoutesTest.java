package dev.flinksupervisor.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flinksupervisor.push.PushHints;
import dev.flinksupervisor.push.PushObserver;
import dev.flinksupervisor.store.InMemoryLedger;
import dev.flinksupervisor.supervision.ClusterState;
import dev.flinksupervisor.supervision.EventLog;
import dev.flinksupervisor.testing.FakeFlinkSavepoints;
import dev.flinksupervisor.testing.HttpTestClient;
import dev.flinksupervisor.testing.MutableClock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The push listener: its own port, its own token, its one route. */
class PushRoutesTest {
  private static final String OPERATOR = "operator-token";
  private static final String PUSH = "push-token";
  private static final String BATCH =
      """
      {"reporter":"jm-0","sent":1,"dropped":0,"failedBatches":0,"future":"ignored","events":[
        {"name":"JobFailureEvent","observedAt":1234,"jobId":"j1","jobName":"orders",
         "attributes":{"failureLabel.category":"KAFKA"}}]}
      """;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
  private final EventLog events = new EventLog(clock, 100);
  private final dev.flinksupervisor.push.RecordingTargets targets =
      new dev.flinksupervisor.push.RecordingTargets();
  private final List<String> hinted = targets.calls;
  private PushRoutes push;
  private AdminApi api;
  private HttpTestClient admin;
  private HttpTestClient pushes;

  @BeforeEach
  void start() {
    push =
        new PushRoutes(
            "127.0.0.1", 0, PUSH, new PushHints(targets, events, PushObserver.NONE, clock));
    api =
        TestAdminApis.create(
                TestAdminApis.settings(Map.of(OPERATOR, ApiRole.OPERATOR), Optional.empty(), 1),
                new ClusterState(),
                events,
                new FakeFlinkSavepoints(),
                TestAdminApis.metrics(),
                clock,
                new InMemoryLedger(1_000_000),
                Optional.of(push))
            .start();
    admin = new HttpTestClient(api.port());
    pushes = new HttpTestClient(push.port(), false);
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void a_batch_with_the_push_token_is_accepted_and_handed_on() {
    assertThat(push.port()).isNotEqualTo(api.port());

    HttpTestClient.Response response = pushes.postJson(PushRoutes.PATH, PUSH, BATCH);

    assertThat(response.status()).isEqualTo(204);
    assertThat(hinted).containsExactly("failure j1 at 1234");
  }

  @Test
  void only_the_push_token_may_push() {
    assertThat(pushes.postJson(PushRoutes.PATH, OPERATOR, BATCH).status()).isEqualTo(401);
    assertThat(pushes.postJson(PushRoutes.PATH, null, BATCH).status()).isEqualTo(401);
    assertThat(hinted).isEmpty();
  }

  @Test
  void the_push_token_reads_nothing_and_each_listener_serves_only_its_own_routes() {
    // The push token is no admin token.
    assertThat(admin.get("/api/v1/jobs", PUSH).status()).isEqualTo(401);
    // The push listener serves nothing but pushes, whatever the token.
    assertThat(pushes.get("/api/v1/jobs", OPERATOR).status()).isEqualTo(404);
    assertThat(pushes.get("/metrics", null).status()).isEqualTo(404);
    // The admin listener takes no pushes.
    assertThat(admin.postJson(PushRoutes.PATH, PUSH, BATCH).status()).isEqualTo(404);
    assertThat(admin.get("/api/v1/jobs", OPERATOR).status()).isEqualTo(200);
    assertThat(hinted).isEmpty();
  }

  @Test
  void a_body_that_is_no_batch_is_refused_and_changes_nothing() {
    HttpTestClient.Response response = pushes.postJson(PushRoutes.PATH, PUSH, "[1,2");

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(hinted).isEmpty();
  }

  @Test
  void a_rotated_token_is_accepted_with_the_previous_one_for_a_while_then_alone() {
    push.replaceToken("next-push-token", PUSH);
    assertThat(pushes.postJson(PushRoutes.PATH, PUSH, BATCH).status()).isEqualTo(204);
    assertThat(pushes.postJson(PushRoutes.PATH, "next-push-token", BATCH).status()).isEqualTo(204);

    push.replaceToken("next-push-token", null);
    assertThat(pushes.postJson(PushRoutes.PATH, PUSH, BATCH).status()).isEqualTo(401);
    assertThat(pushes.postJson(PushRoutes.PATH, "next-push-token", BATCH).status()).isEqualTo(204);
  }

  @Test
  void the_token_file_hands_on_a_rotation_then_forgets_the_previous_token(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("token"), "first\n");
    PushTokenFile tokens = new PushTokenFile(file);
    assertThat(tokens.load()).isEqualTo("first");
    List<String> applied = new CopyOnWriteArrayList<>();

    tokens.poll((token, previous) -> applied.add(token + "<" + previous));
    java.nio.file.Files.writeString(file, "second");
    tokens.poll((token, previous) -> applied.add(token + "<" + previous));
    tokens.poll((token, previous) -> applied.add(token + "<" + previous));
    tokens.poll((token, previous) -> applied.add(token + "<" + previous));
    java.nio.file.Files.writeString(file, "  \n"); // unusable: the token in force stays
    tokens.poll((token, previous) -> applied.add(token + "<" + previous));

    assertThat(applied).containsExactly("second<first", "second<null");
  }

  @Test
  void a_token_the_plugin_could_not_send_is_refused_without_showing_it(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path file =
        java.nio.file.Files.writeString(dir.resolve("token"), "s\u00e9cret-value");

    assertThatThrownBy(() -> new PushTokenFile(file).load())
        .hasMessageContaining("printable ASCII")
        .hasMessageNotContaining("cret-value");
  }
}
