package dev.flinksupervisor.testing;

import dev.flinksupervisor.demo.KubernetesApi;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * fabric8's mock Kubernetes API in CRUD mode with a dispatcher in front that fails, delays or
 * answers 409 to the requests a test chooses, and records every request it serves. Only this
 * embedded server can inject faults; against a real cluster these tests are skipped.
 */
public final class FaultyKubernetes implements KubernetesApi {
  /** The mock server logs every request through java.util.logging; keep only its warnings. */
  private static final java.util.logging.Logger MOCK_SERVER_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  /** A fault: which requests, while when, and what they get instead (or before) an answer. */
  private record Fault(
      Predicate<RecordedRequest> matches, BooleanSupplier active, int status, Duration delay) {}

  private final List<Fault> faults = new CopyOnWriteArrayList<>();
  private final List<String> served = new CopyOnWriteArrayList<>();
  private final KubernetesMockServer server;
  private final Path kubeconfig;
  private final String namespace;

  public FaultyKubernetes(Path workDir, String namespace) {
    this.namespace = namespace;
    KubernetesCrudDispatcher store = new KubernetesCrudDispatcher();
    Dispatcher dispatcher =
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            String body = bodyOf(request);
            served.add(
                request.getMethod()
                    + " "
                    + request.getPath()
                    + " "
                    + (body == null ? "" : body.substring(0, Math.min(body.length(), 4096))));
            for (Fault fault : faults) {
              if (fault.matches().test(request) && fault.active().getAsBoolean()) {
                if (!fault.delay().isZero()) {
                  sleep(fault.delay());
                }
                if (fault.status() > 0) {
                  return new MockResponse()
                      .setResponseCode(fault.status())
                      .setBody(
                          "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                              + "\"message\":\"injected by the test\",\"code\":"
                              + fault.status()
                              + "}");
                }
              }
            }
            return store.dispatch(request);
          }
        };
    server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    try {
      Files.createDirectories(workDir);
      kubeconfig = workDir.resolve("kubeconfig");
      Files.writeString(
          kubeconfig,
          """
          apiVersion: v1
          kind: Config
          clusters:
          - name: faulty
            cluster:
              server: http://%s:%d
          contexts:
          - name: faulty
            context:
              cluster: faulty
              namespace: %s
              user: faulty
          current-context: faulty
          users:
          - name: faulty
            user:
              token: faulty
          """
              .formatted(
                  InetAddress.getLoopbackAddress().getHostAddress(), server.getPort(), namespace));
    } catch (IOException e) {
      server.destroy();
      throw new UncheckedIOException(e);
    }
  }

  /** A header the test's own client sends: its requests are observed, never failed. */
  public static final String OBSERVER = "X-Test-Observer";

  /** Requests with {@code method} whose path contains {@code path}, from anyone but the test. */
  public static Predicate<RecordedRequest> requests(String method, String path) {
    return r ->
        r.getMethod().equalsIgnoreCase(method)
            && r.getPath().contains(path)
            && r.getHeader(OBSERVER) == null;
  }

  /** A client for the test itself, whose requests no fault touches. */
  public io.fabric8.kubernetes.client.KubernetesClient observer() {
    try {
      io.fabric8.kubernetes.client.Config config =
          io.fabric8.kubernetes.client.Config.fromKubeconfig(Files.readString(kubeconfig));
      config.setCustomHeaders(java.util.Map.of(OBSERVER, "true"));
      return new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(config).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Requests that create an object named {@code name}. */
  public static Predicate<RecordedRequest> creating(String name) {
    return r ->
        r.getMethod().equalsIgnoreCase("POST") && bodyOf(r).contains("\"name\":\"" + name + "\"");
  }

  /** The request's body as text, read without consuming it (the store reads it after). */
  private static String bodyOf(RecordedRequest request) {
    return request.getBody() == null
        ? ""
        : new String(request.getBody().getBytes(), java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Answers matching requests with {@code status} while {@code active} holds. */
  public void fail(Predicate<RecordedRequest> matches, BooleanSupplier active, int status) {
    faults.add(new Fault(matches, active, status, Duration.ZERO));
  }

  /** Delays matching requests by {@code delay} while {@code active} holds, then answers them. */
  public void delay(Predicate<RecordedRequest> matches, BooleanSupplier active, Duration delay) {
    faults.add(new Fault(matches, active, 0, delay));
  }

  /**
   * How many requests with {@code method} whose path, or the start of whose body, contains {@code
   * text} were served so far.
   */
  public long count(String method, String text) {
    return served.stream().filter(r -> r.startsWith(method + " ") && r.contains(text)).count();
  }

  private static void sleep(Duration delay) {
    try {
      TimeUnit.MILLISECONDS.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public Path kubeconfig() {
    return kubeconfig;
  }

  @Override
  public String namespace() {
    return namespace;
  }

  @Override
  public String describe() {
    return "fault-injecting mock API at port " + server.getPort();
  }

  @Override
  public void close() {
    server.destroy();
  }
}
