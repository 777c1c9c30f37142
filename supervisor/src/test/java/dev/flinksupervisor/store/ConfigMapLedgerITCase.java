package dev.flinksupervisor.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinksupervisor.demo.KubernetesApi;
import dev.flinksupervisor.testing.TestKubernetes;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.kubernetes.shaded.io.fabric8.kubernetes.api.model.ConfigMap;
import org.apache.flink.kubernetes.shaded.io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ConfigMap ledger against the Kubernetes API (embedded, or KUBECONFIG's cluster). */
class ConfigMapLedgerITCase extends LedgerContract {
  @TempDir static Path dir;
  private static KubernetesApi kubernetes;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    kubernetes = TestKubernetes.start(dir);
    client =
        KubernetesClients.create(
            java.util.Optional.of(kubernetes.kubeconfig().toString()),
            kubernetes.namespace(),
            java.time.Duration.ofSeconds(10));
  }

  @AfterAll
  static void stop() {
    client.close();
    kubernetes.close();
  }

  @Override
  protected Ledger ledger(int capacityBytes) {
    String clusterId = "ledger-" + UUID.randomUUID().toString().substring(0, 8);
    return new ConfigMapLedger(client, kubernetes.namespace(), clusterId, capacityBytes);
  }

  @Test
  void the_record_lives_in_the_sidecars_own_labelled_config_map() throws Exception {
    ConfigMapLedger ledger = new ConfigMapLedger(client, kubernetes.namespace(), "orders", 10_000);
    ledger.write(Map.of("events.json", "[]"), null);

    ConfigMap map =
        client.configMaps().inNamespace(kubernetes.namespace()).withName("orders-supervisor").get();
    assertThat(map.getData()).containsEntry("events.json", "[]");
    assertThat(map.getMetadata().getLabels())
        .containsEntry("app", "orders")
        .containsEntry("app.kubernetes.io/managed-by", "flink-supervisor");
  }
}
