package dev.flinksupervisor.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.flinksupervisor.config.ConfigLoader;
import dev.flinksupervisor.config.SupervisorConfig;
import dev.flinksupervisor.config.SupervisorOptions;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The configuration the pod template gives the sidecar (the ConfigMap's {@code supervisor.yaml} and
 * the downward-API environment) is one the sidecar accepts, and its paths are the ones the template
 * mounts.
 */
class PodConfigurationTest {
  static final Path TEMPLATE = Path.of("..", "k8s", "native", "jobmanager-pod-template.yaml");
  static final Path CONFIG = Path.of("..", "k8s", "base", "supervisor.yaml");

  static JsonNode container(JsonNode spec, String name) {
    for (JsonNode c : spec.path("containers")) {
      if (c.path("name").asText().equals(name)) {
        return c;
      }
    }
    throw new AssertionError("No container " + name);
  }

  static String mountPath(JsonNode container, String volume) {
    for (JsonNode m : container.path("volumeMounts")) {
      if (m.path("name").asText().equals(volume)) {
        return m.path("mountPath").asText();
      }
    }
    throw new AssertionError(container.path("name").asText() + " does not mount " + volume);
  }

  @Test
  void the_sidecar_accepts_its_pod_configuration_and_finds_what_is_mounted() throws Exception {
    JsonNode spec = new ObjectMapper(new YAMLFactory()).readTree(TEMPLATE.toFile()).path("spec");
    JsonNode sidecar = container(spec, "flink-supervisor");
    JsonNode jobManager = container(spec, "flink-main-container");
    Map<String, String> env = new HashMap<>();
    for (JsonNode e : sidecar.path("env")) {
      env.put(e.path("name").asText(), "value-of-" + e.path("valueFrom").path("fieldRef"));
    }
    env.put("SUPERVISOR_ROLE_OWN_ADDRESS", "10.0.0.7");

    SupervisorConfig config = new ConfigLoader().load(CONFIG, env);

    assertThat(config.get(SupervisorOptions.CLUSTER_ID)).contains("metadata.labels['app']");
    assertThat(config.get(SupervisorOptions.NAMESPACE)).contains("metadata.namespace");
    assertThat(config.getOptional(SupervisorOptions.METRICS_POD_NAME)).isPresent();
    assertThat(config.getOptional(SupervisorOptions.KUBECONFIG))
        .as("in a pod: the mounted service account")
        .isEmpty();
    assertThat(sidecar.path("args").get(2).asText())
        .isEqualTo(mountPath(sidecar, "supervisor-config") + "/supervisor.yaml");
    assertThat(config.get(SupervisorOptions.TOKENS_FILE))
        .startsWith(mountPath(sidecar, "supervisor-tokens") + "/");
    assertThat(config.get(SupervisorOptions.UPLOAD_DIRECTORY))
        .startsWith(mountPath(sidecar, "supervisor-uploads") + "/");
    String handshake = config.get(SupervisorOptions.SAVEPOINT_HANDSHAKE_DIRECTORY);
    assertThat(handshake)
        .isEqualTo(mountPath(sidecar, "supervisor-handshake"))
        .isEqualTo(mountPath(jobManager, "supervisor-handshake"));
    assertThat(
            jobManager
                .path("lifecycle")
                .path("preStop")
                .path("exec")
                .path("command")
                .get(2)
                .asText())
        .contains("d=" + handshake + ";");
    assertThat(mountPath(sidecar, "supervisor-identity"))
        .isEqualTo("/var/run/secrets/kubernetes.io/serviceaccount");
    assertThat(sidecar.path("ports").get(0).path("containerPort").asInt())
        .isEqualTo(config.get(SupervisorOptions.API_PORT));
    // The grace periods nest: the savepoints' grace < the hook's own bound < the pod's.
    long grace = config.get(SupervisorOptions.SAVEPOINT_SHUTDOWN_GRACE).toSeconds();
    String hook =
        jobManager.path("lifecycle").path("preStop").path("exec").path("command").get(2).asText();
    long hookBound = Long.parseLong(hook.replaceAll("(?s).*SECONDS < (\\d+).*", "$1"));
    assertThat(grace).isLessThan(hookBound);
    assertThat(hookBound).isLessThan(spec.path("terminationGracePeriodSeconds").asLong());
  }
}
