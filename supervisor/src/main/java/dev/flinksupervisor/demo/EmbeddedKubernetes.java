package dev.flinksupervisor.demo;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.function.UnaryOperator;

/**
 * A Kubernetes API server in this process: fabric8's mock server in CRUD mode, which stores what it
 * is sent and serves it back, watches included. A kubeconfig file points Flink's and the sidecar's
 * clients at it, exactly as they would be pointed at a real API server.
 */
public final class EmbeddedKubernetes implements KubernetesApi {
  /** The mock server logs every request through java.util.logging; keep only its warnings. */
  private static final java.util.logging.Logger MOCK_SERVER_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  private final Dispatcher store;
  private final int port;
  private final Path kubeconfig;
  private final String namespace;
  private KubernetesMockServer server;

  private EmbeddedKubernetes(
      Dispatcher store, KubernetesMockServer server, Path kubeconfig, String namespace) {
    this.store = store;
    this.server = server;
    this.port = server.getPort();
    this.kubeconfig = kubeconfig;
    this.namespace = namespace;
  }

  private static KubernetesMockServer serve(Dispatcher store, int port) {
    KubernetesMockServer server =
        new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), store, false);
    server.init(InetAddress.getLoopbackAddress(), port);
    return server;
  }

  /** Starts on a free loopback port (or {@code port}, when it is not 0) and writes a kubeconfig. */
  public static EmbeddedKubernetes start(Path workDir, String namespace, int port) {
    return start(workDir, namespace, port, UnaryOperator.identity());
  }

  /**
   * As {@link #start(Path, String, int)}, every request passing through {@code around}'s result.
   */
  public static EmbeddedKubernetes start(
      Path workDir, String namespace, int port, UnaryOperator<Dispatcher> around) {
    Dispatcher store = around.apply(new KubernetesCrudDispatcher());
    KubernetesMockServer server = serve(store, port);
    try {
      Files.createDirectories(workDir);
      Path kubeconfig = workDir.resolve("kubeconfig");
      Files.writeString(kubeconfig, kubeconfig(url(server.getPort()), namespace));
      return new EmbeddedKubernetes(store, server, kubeconfig, namespace);
    } catch (IOException e) {
      server.destroy();
      throw new UncheckedIOException("Cannot write the kubeconfig", e);
    }
  }

  static String kubeconfig(String serverUrl, String namespace) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: embedded
          cluster:
            server: %s
        contexts:
        - name: embedded
          context:
            cluster: embedded
            namespace: %s
            user: embedded
        current-context: embedded
        users:
        - name: embedded
          user:
            token: embedded
        """
        .formatted(serverUrl, namespace);
  }

  @Override
  public Path kubeconfig() {
    return kubeconfig;
  }

  /** A kubeconfig whose requests carry {@code token}, so that the server can tell callers apart. */
  @Override
  public Path kubeconfigFor(String token) {
    Path file = kubeconfig.resolveSibling("kubeconfig-" + token.replaceAll("[^A-Za-z0-9.-]", "_"));
    try {
      Files.writeString(
          file, kubeconfig(url(), namespace).replace("token: embedded", "token: " + token));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file, e);
    }
  }

  @Override
  public String namespace() {
    return namespace;
  }

  public int port() {
    return port;
  }

  /**
   * Takes the API server down, as an outage of the Kubernetes API would; the stored objects stay.
   */
  public synchronized void stop() {
    if (server != null) {
      server.destroy();
      server = null;
    }
  }

  /** Brings the API server back on the same port with the objects it held. */
  public synchronized void restart() {
    if (server == null) {
      server = serve(store, port);
    }
  }

  public String url() {
    return url(port);
  }

  private static String url(int port) {
    return "http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + port;
  }

  @Override
  public String describe() {
    return url() + " (embedded)";
  }

  @Override
  public void close() {
    stop();
  }
}
