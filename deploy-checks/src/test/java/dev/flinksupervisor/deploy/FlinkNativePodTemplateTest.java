package dev.flinksupervisor.deploy;

import static dev.flinksupervisor.deploy.Repository.MAIN_CONTAINER;
import static dev.flinksupervisor.deploy.Repository.SIDECAR;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.client.deployment.ClusterSpecification;
import org.apache.flink.configuration.BlobServerOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.DeploymentOptionsInternal;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.kubernetes.configuration.KubernetesConfigOptions;
import org.apache.flink.kubernetes.configuration.KubernetesConfigOptionsInternal;
import org.apache.flink.kubernetes.configuration.KubernetesDeploymentTarget;
import org.apache.flink.kubernetes.entrypoint.KubernetesApplicationClusterEntrypoint;
import org.apache.flink.kubernetes.kubeclient.FlinkKubeClient;
import org.apache.flink.kubernetes.kubeclient.FlinkKubeClientFactory;
import org.apache.flink.kubernetes.kubeclient.FlinkPod;
import org.apache.flink.kubernetes.kubeclient.factory.KubernetesJobManagerFactory;
import org.apache.flink.kubernetes.kubeclient.parameters.KubernetesJobManagerParameters;
import org.apache.flink.kubernetes.shaded.io.fabric8.kubernetes.api.model.apps.Deployment;
import org.apache.flink.kubernetes.shaded.io.fabric8.kubernetes.client.utils.Serialization;
import org.apache.flink.kubernetes.utils.Constants;
import org.apache.flink.kubernetes.utils.KubernetesUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native pod template as Flink 2.3 itself turns it into the JobManager's Deployment ({@code
 * KubernetesJobManagerFactory.buildKubernetesJobManagerSpecification}, as {@code flink
 * run-application --target kubernetes-application} does): the sidecar container comes out whole,
 * beside the JobManager, which keeps its preStop hook and the shared handshake directory.
 */
class FlinkNativePodTemplateTest {
  @TempDir static Path dir;
  static JsonNode pod;
  static JsonNode template;

  @BeforeAll
  static void build() throws Exception {
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(
        kubeconfig,
        """
        apiVersion: v1
        kind: Config
        clusters: [{name: c, cluster: {server: "http://127.0.0.1:1"}}]
        contexts: [{name: c, context: {cluster: c, user: u, namespace: flink}}]
        current-context: c
        users: [{name: u, user: {token: t}}]
        """);
    Path confDir = Files.createDirectories(dir.resolve("conf"));
    Configuration conf = new Configuration();
    conf.set(KubernetesConfigOptions.CLUSTER_ID, "orders");
    conf.set(KubernetesConfigOptions.NAMESPACE, "flink");
    conf.set(KubernetesConfigOptions.KUBE_CONFIG_FILE, kubeconfig.toString());
    conf.set(KubernetesConfigOptions.CONTAINER_IMAGE, "flink-supervisor-flink:latest");
    conf.set(
        KubernetesConfigOptions.JOB_MANAGER_POD_TEMPLATE,
        Repository.NATIVE_POD_TEMPLATE.toString());
    conf.set(HighAvailabilityOptions.HA_MODE, "kubernetes");
    conf.set(HighAvailabilityOptions.HA_STORAGE_PATH, "s3://flink/ha");
    conf.set(DeploymentOptionsInternal.CONF_DIR, confDir.toString());
    conf.set(DeploymentOptions.TARGET, KubernetesDeploymentTarget.APPLICATION.getName());
    // What KubernetesClusterDescriptor sets before it builds the JobManager's Deployment.
    conf.set(
        KubernetesConfigOptionsInternal.ENTRY_POINT_CLASS,
        KubernetesApplicationClusterEntrypoint.class.getName());
    KubernetesUtils.checkAndUpdatePortConfigOption(
        conf, BlobServerOptions.PORT, Constants.BLOB_SERVER_PORT);
    KubernetesUtils.checkAndUpdatePortConfigOption(
        conf, TaskManagerOptions.RPC_PORT, Constants.TASK_MANAGER_RPC_PORT);
    KubernetesUtils.checkAndUpdatePortConfigOption(
        conf, RestOptions.BIND_PORT, Constants.REST_PORT);
    conf.set(HighAvailabilityOptions.HA_CLUSTER_ID, "orders");
    KubernetesUtils.checkAndUpdatePortConfigOption(
        conf, HighAvailabilityOptions.HA_JOB_MANAGER_PORT_RANGE, conf.get(JobManagerOptions.PORT));
    ClusterSpecification spec =
        new ClusterSpecification.ClusterSpecificationBuilder()
            .setMasterMemoryMB(1600)
            .setTaskManagerMemoryMB(2048)
            .setSlotsPerTaskManager(2)
            .createClusterSpecification();
    Deployment deployment;
    try (FlinkKubeClient client =
        FlinkKubeClientFactory.getInstance().fromConfiguration(conf, "deploy-checks")) {
      FlinkPod podTemplate =
          KubernetesUtils.loadPodFromTemplateFile(
              client, Repository.NATIVE_POD_TEMPLATE.toFile(), Constants.MAIN_CONTAINER_NAME);
      deployment =
          KubernetesJobManagerFactory.buildKubernetesJobManagerSpecification(
                  podTemplate, new KubernetesJobManagerParameters(conf, spec))
              .getDeployment();
    }
    pod = Repository.YAML.readTree(Serialization.asJson(deployment)).path("spec").path("template");
    template = Repository.yaml(Repository.NATIVE_POD_TEMPLATE);
  }

  @Test
  void the_sidecar_container_comes_out_as_written() {
    JsonNode sidecar = Repository.container(pod.path("spec"), SIDECAR);
    JsonNode written = Repository.container(template.path("spec"), SIDECAR);

    assertThat(Repository.differences(sidecar, written)).isEmpty();
    // Spelled out, what the sidecar needs in the pod:
    assertThat(sidecar.path("env").findValuesAsText("fieldPath"))
        .containsExactly(
            "metadata.labels['app']", "metadata.namespace", "status.podIP", "metadata.name");
    assertThat(sidecar.path("ports").get(0).path("containerPort").asInt()).isEqualTo(8085);
    assertThat(sidecar.path("readinessProbe").path("httpGet").path("path").asText())
        .isEqualTo("/readyz");
    assertThat(sidecar.path("livenessProbe").path("httpGet").path("path").asText())
        .isEqualTo("/healthz");
    JsonNode security = sidecar.path("securityContext");
    assertThat(security.path("runAsNonRoot").asBoolean()).isTrue();
    assertThat(security.path("readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(security.path("allowPrivilegeEscalation").asBoolean()).isFalse();
    assertThat(security.path("capabilities").path("drop").get(0).asText()).isEqualTo("ALL");
  }

  @Test
  void the_jobmanager_keeps_its_prestop_hook_and_the_handshake_directory() {
    JsonNode jobManager = Repository.container(pod.path("spec"), MAIN_CONTAINER);
    JsonNode written = Repository.container(template.path("spec"), MAIN_CONTAINER);

    assertThat(jobManager.path("lifecycle")).isEqualTo(written.path("lifecycle"));
    assertThat(jobManager.path("volumeMounts").findValuesAsText("mountPath"))
        .contains("/var/run/flink-supervisor");
    // Flink filled the rest of the main container: its image, its command and its config.
    assertThat(jobManager.path("image").asText()).isEqualTo("flink-supervisor-flink:latest");
    assertThat(jobManager.path("args").toString()).contains("jobmanager");
  }

  @Test
  void the_pod_keeps_the_volumes_grace_period_and_labels() {
    JsonNode spec = pod.path("spec");
    List<String> volumes = new ArrayList<>(spec.path("volumes").findValuesAsText("name"));
    for (JsonNode v : template.path("spec").path("volumes")) {
      assertThat(volumes).contains(v.path("name").asText());
      JsonNode out = null;
      for (JsonNode candidate : spec.path("volumes")) {
        if (candidate.path("name").equals(v.path("name"))) {
          out = candidate;
        }
      }
      assertThat(Repository.differences(out, v)).isEmpty();
    }
    assertThat(spec.path("terminationGracePeriodSeconds").asInt()).isEqualTo(90);
    JsonNode labels = pod.path("metadata").path("labels");
    assertThat(labels.path("flink-supervisor/attached").asText()).isEqualTo("true");
    assertThat(labels.path("app").asText())
        .as("the sidecar's cluster id comes from this label")
        .isEqualTo("orders");
    assertThat(labels.path("component").asText()).isEqualTo("jobmanager");
    assertThat(pod.path("metadata").path("annotations").path("prometheus.io/scrape").asText())
        .isEqualTo("true");
  }
}
