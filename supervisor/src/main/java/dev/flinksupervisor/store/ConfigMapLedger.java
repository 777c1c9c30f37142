package dev.flinksupervisor.store;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.util.Map;

/**
 * The {@link Ledger} in the sidecar's own ConfigMap, {@code <cluster-id>-supervisor}: one data key
 * per section. Kubernetes refuses objects over 1 MiB, so writes are kept below {@link
 * #DEFAULT_CAPACITY_BYTES} and larger ones are refused before they are sent.
 */
public final class ConfigMapLedger implements Ledger {
  /** Leaves room under Kubernetes' 1 MiB object limit for metadata. */
  public static final int DEFAULT_CAPACITY_BYTES = 900 * 1024;

  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final String clusterId;
  private final int capacityBytes;

  public ConfigMapLedger(
      KubernetesClient client, String namespace, String clusterId, int capacityBytes) {
    this.client = client;
    this.namespace = namespace;
    this.clusterId = clusterId;
    this.name = nameFor(clusterId);
    this.capacityBytes = capacityBytes;
  }

  public static String nameFor(String clusterId) {
    return clusterId + "-supervisor";
  }

  @Override
  public Map<String, String> read() throws LedgerException {
    try {
      ConfigMap map = client.configMaps().inNamespace(namespace).withName(name).get();
      return map == null || map.getData() == null ? Map.of() : Map.copyOf(map.getData());
    } catch (KubernetesClientException e) {
      throw new LedgerException(
          "Cannot read ConfigMap " + namespace + "/" + name + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void write(Map<String, String> sections) throws LedgerException {
    Ledgers.checkSize(sections, capacityBytes, "ConfigMap " + namespace + "/" + name);
    ConfigMap map =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .addToLabels("app", clusterId)
            .addToLabels("app.kubernetes.io/managed-by", "flink-supervisor")
            .endMetadata()
            .withData(sections)
            .build();
    try {
      client
          .configMaps()
          .inNamespace(namespace)
          .resource(map)
          .createOr(NonDeletingOperation::update);
    } catch (KubernetesClientException e) {
      throw new LedgerException(
          "Cannot write ConfigMap " + namespace + "/" + name + ": " + e.getMessage(), e);
    }
  }

  @Override
  public int capacityBytes() {
    return capacityBytes;
  }
}
