package dev.flinksupervisor.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flinksupervisor.api.auth.AuthMethods;
import dev.flinksupervisor.api.auth.KubernetesTokenReview;
import dev.flinksupervisor.store.KubernetesClients;
import dev.flinksupervisor.testing.HttpTestClient;
import dev.flinksupervisor.testing.HttpTestClient.Response;
import dev.flinksupervisor.testing.MutableClock;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.kubernetes.shaded.io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kubernetes tokens end to end: the sidecar's own (shaded) fabric8 client sends TokenReviews and
 * SubjectAccessReviews to fabric8's mock API server, whose dispatcher answers from the request
 * bodies as an API server with these RBAC rules would: the controller's service account may update
 * (and get) jobs.flink-supervisor.dev 'orders' in namespace flink, Grafana's may get them.
 */
class KubernetesTokenAuthITCase {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ACTION = "/api/v1/jobs/a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0/savepoints";
  private static final String CONTROLLER = "system:serviceaccount:flink:controller";
  private static final String GRAFANA = "system:serviceaccount:monitoring:grafana";
  private static final Map<String, String> USERS =
      Map.of(
          "sa.controller-token.sig",
          CONTROLLER,
          "sa.grafana-token.sig",
          GRAFANA,
          "sa.nobody-token.sig",
          "system:serviceaccount:flink:nobody",
          "sa.sar-fails-token.sig",
          "system:serviceaccount:flink:broken");

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final AtomicInteger tokenReviews = new AtomicInteger();
  private final AtomicInteger accessReviews = new AtomicInteger();
  private final List<JsonNode> resourceAttributes = new CopyOnWriteArrayList<>();
  private KubernetesMockServer server;
  private KubernetesClient client;
  private AdminApi api;
  private HttpTestClient http;

  /** Answers TokenReviews and SubjectAccessReviews from what they ask. */
  private final class Reviews extends Dispatcher {
    @Override
    public MockResponse dispatch(RecordedRequest request) {
      try {
        String path = request.getPath();
        if (!request.getMethod().equals("POST")) {
          return new MockResponse().setResponseCode(404);
        }
        ObjectNode review = (ObjectNode) JSON.readTree(request.getUtf8Body());
        if (path.startsWith("/apis/authentication.k8s.io/v1/tokenreviews")) {
          tokenReviews.incrementAndGet();
          String token = review.path("spec").path("token").asText();
          if (token.equals("sa.api-fails-token.sig")) {
            return new MockResponse().setResponseCode(500).setBody("{\"kind\":\"Status\"}");
          }
          ObjectNode status = review.putObject("status");
          String user = USERS.get(token);
          status.put("authenticated", user != null);
          if (user != null) {
            status
                .putObject("user")
                .put("username", user)
                .put("uid", "uid-" + token)
                .putArray("groups")
                .add("system:serviceaccounts")
                .add("system:authenticated");
            status.set("audiences", review.path("spec").path("audiences"));
          }
          return json(review);
        }
        if (path.startsWith("/apis/authorization.k8s.io/v1/subjectaccessreviews")) {
          accessReviews.incrementAndGet();
          JsonNode spec = review.path("spec");
          JsonNode attributes = spec.path("resourceAttributes");
          resourceAttributes.add(attributes);
          String user = spec.path("user").asText();
          if (user.equals("system:serviceaccount:flink:broken")) {
            return new MockResponse().setResponseCode(503).setBody("{\"kind\":\"Status\"}");
          }
          boolean onOurJobs =
              attributes.path("group").asText().equals("flink-supervisor.dev")
                  && attributes.path("resource").asText().equals("jobs")
                  && attributes.path("namespace").asText().equals("flink")
                  && attributes.path("name").asText().equals("orders");
          String verb = attributes.path("verb").asText();
          boolean allowed =
              onOurJobs
                  && (user.equals(CONTROLLER) && (verb.equals("update") || verb.equals("get"))
                      || user.equals(GRAFANA) && verb.equals("get"));
          review.putObject("status").put("allowed", allowed);
          return json(review);
        }
        return new MockResponse().setResponseCode(404);
      } catch (Exception e) {
        return new MockResponse().setResponseCode(400).setBody(e.toString());
      }
    }

    private MockResponse json(JsonNode body) throws Exception {
      return new MockResponse()
          .setResponseCode(201)
          .setHeader("Content-Type", "application/json")
          .setBody(JSON.writeValueAsString(body));
    }
  }

  @BeforeEach
  void startKubernetes() throws Exception {
    server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), new Reviews(), false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(
        kubeconfig,
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: mock
          cluster:
            server: http://%s:%d
        contexts:
        - name: mock
          context:
            cluster: mock
            namespace: flink
            user: sidecar
        current-context: mock
        users:
        - name: sidecar
          user:
            token: the-sidecars-own-token
        """
            .formatted(InetAddress.getLoopbackAddress().getHostAddress(), server.getPort()));
    client =
        KubernetesClients.create(
            Optional.of(kubeconfig.toString()), "flink", Duration.ofSeconds(5));
  }

  private void startApi(Optional<String> audience) {
    api =
        TestAdminApis.started(
            TestAdminApis.settings(
                Map.of("static-token", ApiRole.OPERATOR),
                Optional.empty(),
                4,
                new AuthMethods(
                    Optional.empty(),
                    Optional.empty(),
                    Optional.of(
                        new KubernetesTokenReview(
                            client, "flink", "orders", audience, Duration.ofSeconds(30), clock)))),
            clock);
    http = new HttpTestClient(api.port());
  }

  @AfterEach
  void stop() {
    if (api != null) {
      api.close();
    }
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.destroy();
    }
  }

  @Test
  void rbac_on_the_virtual_jobs_resource_gives_the_role() {
    startApi(Optional.of("flink-supervisor"));

    assertThat(http.postJson(ACTION, "sa.controller-token.sig", "{}").status())
        .as("operator: past the role check, the standby's own answer")
        .isEqualTo(409);
    assertThat(http.postJson(ACTION, "sa.grafana-token.sig", "{}").status()).isEqualTo(403);
    assertThat(http.get("/api/v1/jobs", "sa.grafana-token.sig").status()).isEqualTo(200);
    Response nobody = http.get("/api/v1/jobs", "sa.nobody-token.sig");
    assertThat(nobody.status()).isEqualTo(401);
    assertThat(nobody.json().get("detail").asText())
        .contains("may neither update nor get jobs.flink-supervisor.dev 'orders'");
    Response unknown = http.get("/api/v1/jobs", "sa.not-a-kubernetes-token.sig");
    assertThat(unknown.status()).isEqualTo(401);
    assertThat(unknown.json().get("detail").asText())
        .contains("Kubernetes did not authenticate the bearer token")
        .doesNotContain("sa.not-a-kubernetes-token.sig");
    assertThat(http.get("/api/v1/jobs", "static-token").status()).isEqualTo(200);
    assertThat(http.get("/api/v1/events", "sa.controller-token.sig").body())
        .contains("by k8s:" + CONTROLLER + ": 409", "by k8s:" + GRAFANA + ": 403");

    assertThat(resourceAttributes)
        .allSatisfy(
            a -> {
              assertThat(a.path("group").asText()).isEqualTo("flink-supervisor.dev");
              assertThat(a.path("resource").asText()).isEqualTo("jobs");
              assertThat(a.path("namespace").asText()).isEqualTo("flink");
              assertThat(a.path("name").asText()).isEqualTo("orders");
            });
    assertThat(resourceAttributes.stream().map(a -> a.path("verb").asText()).distinct())
        .containsExactlyInAnyOrder("update", "get");
  }

  @Test
  void answers_are_cached_for_the_ttl_and_refusals_too() {
    startApi(Optional.empty());

    assertThat(http.get("/api/v1/jobs", "sa.grafana-token.sig").status()).isEqualTo(200);
    assertThat(tokenReviews.get()).isEqualTo(1);
    assertThat(accessReviews.get()).as("update refused, then get allowed").isEqualTo(2);
    assertThat(http.get("/api/v1/jobs", "sa.grafana-token.sig").status()).isEqualTo(200);
    assertThat(http.get("/api/v1/jobs", "sa.not-a-kubernetes-token.sig").status()).isEqualTo(401);
    assertThat(http.get("/api/v1/jobs", "sa.not-a-kubernetes-token.sig").status()).isEqualTo(401);
    assertThat(tokenReviews.get()).as("one review per token within the TTL").isEqualTo(2);
    assertThat(accessReviews.get()).isEqualTo(2);

    assertThat(http.get("/api/v1/jobs", "an-opaque-token").status()).isEqualTo(401);
    assertThat(tokenReviews.get())
        .as("a token that is no JWT, as service-account tokens are, is not sent for review")
        .isEqualTo(2);

    clock.advance(Duration.ofSeconds(29));
    assertThat(http.get("/api/v1/jobs", "sa.grafana-token.sig").status()).isEqualTo(200);
    assertThat(tokenReviews.get()).isEqualTo(2);
    clock.advance(Duration.ofSeconds(1));
    assertThat(http.get("/api/v1/jobs", "sa.grafana-token.sig").status()).isEqualTo(200);
    assertThat(tokenReviews.get()).as("reviewed again after the TTL").isEqualTo(3);
  }

  @Test
  void an_api_server_that_fails_is_503_and_not_cached() {
    startApi(Optional.empty());

    Response tokenReviewFails = http.get("/api/v1/jobs", "sa.api-fails-token.sig");
    assertThat(tokenReviewFails.status()).as(tokenReviewFails.body()).isEqualTo(503);
    assertThat(tokenReviewFails.header("Retry-After")).isNotNull();
    assertThat(tokenReviewFails.body()).doesNotContain("sa.api-fails-token.sig");
    Response accessReviewFails = http.get("/api/v1/jobs", "sa.sar-fails-token.sig");
    assertThat(accessReviewFails.status()).as(accessReviewFails.body()).isEqualTo(503);
    assertThat(http.get("/api/v1/jobs", "sa.api-fails-token.sig").status()).isEqualTo(503);
    assertThat(tokenReviews.get()).as("failures are asked again").isEqualTo(3);

    server.destroy();
    server = null;
    Response down = http.get("/api/v1/jobs", "sa.controller-token.sig");
    assertThat(down.status()).as(down.body()).isEqualTo(503);
    assertThat(http.get("/api/v1/jobs", "static-token").status()).isEqualTo(200);
  }
}
