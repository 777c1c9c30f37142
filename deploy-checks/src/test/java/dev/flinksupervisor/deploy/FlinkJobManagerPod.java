package dev.flinksupervisor.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
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

/**
 * The JobManager pod as Flink itself makes it for an application cluster on native Kubernetes: what
 * {@code KubernetesClusterDescriptor} sets, then {@code
 * KubernetesJobManagerFactory.buildKubernetesJobManagerSpecification} over the configuration's
 * JobManager pod template. Only the Flink on the classpath decides; no API server is contacted.
 */
final class FlinkJobManagerPod {
  private FlinkJobManagerPod() {}

  /** The pod template ({@code metadata} and {@code spec}) of the JobManager's Deployment. */
  static JsonNode build(Configuration conf, Path dir) throws Exception {
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
    conf.set(KubernetesConfigOptions.KUBE_CONFIG_FILE, kubeconfig.toString());
    conf.set(
        DeploymentOptionsInternal.CONF_DIR,
        Files.createDirectories(dir.resolve("conf")).toString());
    conf.set(DeploymentOptions.TARGET, KubernetesDeploymentTarget.APPLICATION.getName());
    conf.set(
        KubernetesConfigOptionsInternal.ENTRY_POINT_CLASS,
        KubernetesApplicationClusterEntrypoint.class.getName());
    KubernetesUtils.checkAndUpdatePortConfigOption(
        conf, BlobServerOptions.PORT, Constants.BLOB_SERVER_PORT);
    KubernetesUtils.checkAndUpdatePortConfigOption(
        conf, TaskManagerOptions.RPC_PORT, Constants.TASK_MANAGER_RPC_PORT);
    KubernetesUtils.checkAndUpdatePortConfigOption(
        conf, RestOptions.BIND_PORT, Constants.REST_PORT);
    conf.set(HighAvailabilityOptions.HA_CLUSTER_ID, conf.get(KubernetesConfigOptions.CLUSTER_ID));
    KubernetesUtils.checkAndUpdatePortConfigOption(
        conf, HighAvailabilityOptions.HA_JOB_MANAGER_PORT_RANGE, conf.get(JobManagerOptions.PORT));
    ClusterSpecification spec =
        new ClusterSpecification.ClusterSpecificationBuilder()
            .setMasterMemoryMB(1600)
            .setTaskManagerMemoryMB(2048)
            .setSlotsPerTaskManager(2)
            .createClusterSpecification();
    File template = new File(conf.get(KubernetesConfigOptions.JOB_MANAGER_POD_TEMPLATE));
    Deployment deployment;
    try (FlinkKubeClient client =
        FlinkKubeClientFactory.getInstance().fromConfiguration(conf, "deploy-checks")) {
      FlinkPod podTemplate =
          KubernetesUtils.loadPodFromTemplateFile(client, template, Constants.MAIN_CONTAINER_NAME);
      deployment =
          KubernetesJobManagerFactory.buildKubernetesJobManagerSpecification(
                  podTemplate, new KubernetesJobManagerParameters(conf, spec))
              .getDeployment();
    }
    return Repository.YAML.readTree(Serialization.asJson(deployment)).path("spec").path("template");
  }
}
