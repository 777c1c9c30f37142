package dev.flinksupervisor.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.kubernetes.shaded.io.fabric8.kubernetes.client.Config;
import org.apache.flink.kubernetes.shaded.io.fabric8.kubernetes.client.KubernetesClient;
import org.apache.flink.kubernetes.shaded.io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * The floor the sidecar is measured against: a JVM that only builds the clients the sidecar is made
 * of and answers one request with each. Flink's {@link RestClusterClient} with Kubernetes HA leader
 * retrieval (it lists the jobs of the leader it finds), the fabric8 client the sidecar uses (the
 * one shaded into flink-kubernetes; it reads one ConfigMap), and a Javalin server whose {@code
 * /readyz} answers 200 once both have answered, and whose {@code /bare/jobs} serialises a fixed
 * JSON document per request: a bare Javalin JSON endpoint.
 *
 * <p>{@code java FLAGS -cp flink-supervisor-benchmarks.jar
 * dev.flinksupervisor.benchmarks.ClientsFloor FLINK_CONF_DIR PORT KUBECONFIG NAMESPACE CONFIGMAP
 * JSON_FILE}
 */
public final class ClientsFloor {
  private ClientsFloor() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 6) {
      System.err.println(
          "Usage: ClientsFloor FLINK_CONF_DIR PORT KUBECONFIG NAMESPACE CONFIGMAP JSON_FILE");
      System.exit(2);
    }
    Configuration flinkConf = GlobalConfiguration.loadConfiguration(args[0]);
    int port = Integer.parseInt(args[1]);
    Config kubeConfig = Config.fromKubeconfig(Files.readString(Path.of(args[2])));
    kubeConfig.setNamespace(args[3]);
    JsonNode document = Http.JSON.readTree(Path.of(args[5]).toFile());
    CountDownLatch ready = new CountDownLatch(1);
    Javalin app =
        Javalin.create(
            config -> {
              config.startup.showJavalinBanner = false;
              config.jetty.host = "127.0.0.1";
              config.jetty.port = port;
              config.routes.get(
                  "/readyz", ctx -> ctx.status(ready.getCount() == 0 ? 200 : 503).result(""));
              config.routes.get("/bare/jobs", ctx -> ctx.json(document));
            });
    app.start();
    try (KubernetesClient kubernetes =
            new KubernetesClientBuilder().withConfig(kubeConfig).build();
        RestClusterClient<StandaloneClusterId> flink =
            new RestClusterClient<>(flinkConf, StandaloneClusterId.getInstance())) {
      kubernetes.configMaps().inNamespace(args[3]).withName(args[4]).get();
      flink.listJobs().get(60, TimeUnit.SECONDS);
      ready.countDown();
      new CountDownLatch(1).await(); // until the process is stopped
    } finally {
      app.stop();
    }
  }
}
