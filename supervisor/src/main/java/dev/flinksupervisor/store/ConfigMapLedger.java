package dev.flinksupervisor.store;

import java.net.HttpURLConnection;
import java.util.Map;
import org.apache.flink.kubernetes.shaded.io.fabric8.kubernetes.api.model.ConfigMap;
import org.apache.flink.kubernetes.shaded.io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import org.apache.flink.kubernetes.shaded.io.fabric8.kubernetes.client.KubernetesClient;
import org.apache.flink.kubernetes.shaded.io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * The {@link Ledger} in the sidecar's own ConfigMap, {@code <cluster-id>-supervisor}: one data key
 * per section. A write is a create when the record was never written, otherwise a PUT carrying the
 * {@code resourceVersion} last read, which the API server refuses with 409 when the ConfigMap
 * changed since. Kubernetes refuses objects over 1 MiB, so writes are kept below {@link
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
  public Stored read() throws LedgerException {
    try {
      ConfigMap map = client.configMaps().inNamespace(namespace).withName(name).get();
      if (map == null) {
        return Stored.EMPTY;
      }
      return new Stored(
          map.getData() == null ? Map.of() : map.getData(), map.getMetadata().getResourceVersion());
    } catch (KubernetesClientException e) {
      throw new LedgerException("Cannot read " + describe() + ": " + reason(e), e);
    }
  }

  @Override
  public String write(Map<String, String> sections, String expectedVersion) throws LedgerException {
    Ledgers.checkSize(sections, capacityBytes, describe());
    ConfigMap map =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .withResourceVersion(expectedVersion)
            .addToLabels("app", clusterId)
            .addToLabels("app.kubernetes.io/managed-by", "flink-supervisor")
            .endMetadata()
            .withData(sections)
            .build();
    try {
      ConfigMap written =
          expectedVersion == null
              ? client.configMaps().inNamespace(namespace).resource(map).create()
              : client.configMaps().inNamespace(namespace).resource(map).update();
      return written.getMetadata().getResourceVersion();
    } catch (KubernetesClientException e) {
      // 409: someone wrote it since it was read; 404: someone deleted it. Either way: read again.
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT
          || e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
        throw new LedgerConflict(
            describe()
                + " changed since version "
                + (expectedVersion == null ? "(none)" : expectedVersion)
                + " was read: "
                + reason(e),
            e);
      }
      throw new LedgerException("Cannot write " + describe() + ": " + reason(e), e);
    }
  }

  private static String reason(KubernetesClientException e) {
    return e.getCode() > 0 ? "HTTP " + e.getCode() + " " + e.getMessage() : e.getMessage();
  }

  @Override
  public int capacityBytes() {
    return capacityBytes;
  }

  @Override
  public String describe() {
    return "ConfigMap " + namespace + "/" + name;
  }
}
