package dev.flinksupervisor.testing;

import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The sidecar's requests to the Kubernetes API, as the API server's authorizer sees them. A test
 * gives the sidecar a kubeconfig with its own token ({@link #sidecarToken}); a {@link Recorder}
 * around the mock API server's dispatcher writes every request made with such a token to a file
 * under {@link #directory()}, as a {@link Request}: verb, API group, resource, namespace and name,
 * derived from the method and path the way Kubernetes' RequestInfo does. {@code RbacCoverageCheck}
 * reads them back and holds them against the Role in {@code k8s/}.
 */
public final class KubernetesRequests {
  /** The bearer token of the sidecar of one cluster starts with this, then the cluster id. */
  public static final String SIDECAR_TOKEN_PREFIX = "flink-supervisor.";

  /** Where the records go: {@code flink-supervisor.kubernetes-requests}, per build if known. */
  public static Path directory() {
    Path root =
        Path.of(
            System.getProperty(
                "flink-supervisor.kubernetes-requests", "target/kubernetes-requests"));
    return root.resolve(System.getProperty("flink-supervisor.build-id", "local"));
  }

  private KubernetesRequests() {}

  public static String sidecarToken(String clusterId) {
    return SIDECAR_TOKEN_PREFIX + clusterId;
  }

  /**
   * One request as the authorizer sees it. {@code name} is empty for a create or a collection,
   * except that a list or watch narrowed by {@code fieldSelector=metadata.name=X} names X, as in
   * Kubernetes. A request outside the resource API (discovery, {@code /version}) has verb {@code
   * get}, {@code resource} empty and {@code path} set.
   */
  public record Request(
      String clusterId,
      String verb,
      String apiGroup,
      String resource,
      String namespace,
      String name,
      String path) {

    String line() {
      return String.join("\t", clusterId, verb, apiGroup, resource, namespace, name, path);
    }

    public static Request parseLine(String line) {
      String[] f = line.split("\t", -1);
      return new Request(f[0], f[1], f[2], f[3], f[4], f[5], f[6]);
    }

    public boolean isResourceRequest() {
      return !resource.isEmpty();
    }
  }

  /** Every record written so far in {@code dir}, all files together. */
  public static List<Request> readAll(Path dir) throws IOException {
    List<Request> all = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return all;
    }
    try (var files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".tsv")).sorted().toList()) {
        for (String line : Files.readAllLines(file)) {
          if (!line.isBlank()) {
            all.add(Request.parseLine(line));
          }
        }
      }
    }
    return all;
  }

  /** Maps a method and a path with its query to a request, as Kubernetes' RequestInfo does. */
  public static Request describe(String clusterId, String method, String pathAndQuery) {
    int q = pathAndQuery.indexOf('?');
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    Map<String, String> query = query(q < 0 ? "" : pathAndQuery.substring(q + 1));
    List<String> parts = new ArrayList<>(List.of(path.replaceAll("^/+|/+$", "").split("/")));
    String group;
    if (parts.size() >= 2 && parts.get(0).equals("api")) {
      group = "";
      parts = parts.subList(2, parts.size());
    } else if (parts.size() >= 3 && parts.get(0).equals("apis")) {
      group = parts.get(1);
      parts = parts.subList(3, parts.size());
    } else {
      return new Request(clusterId, "get", "", "", "", "", path);
    }
    boolean watchPath = !parts.isEmpty() && parts.get(0).equals("watch");
    if (watchPath) {
      parts = parts.subList(1, parts.size());
    }
    String namespace = "";
    if (parts.size() >= 2 && parts.get(0).equals("namespaces") && parts.size() != 2) {
      namespace = parts.get(1);
      parts = parts.subList(2, parts.size());
    } else if (parts.size() == 2 && parts.get(0).equals("namespaces")) {
      // a namespace object itself: resource namespaces, name = the namespace
      return new Request(
          clusterId, verbOf(method, true, false), group, "namespaces", "", parts.get(1), path);
    }
    if (parts.isEmpty()) {
      return new Request(clusterId, "get", group, "", namespace, "", path);
    }
    String resource = parts.get(0);
    String name = parts.size() >= 2 ? parts.get(1) : "";
    if (parts.size() >= 3) {
      resource = resource + "/" + parts.get(2);
    }
    boolean watch =
        watchPath || "true".equals(query.get("watch")) || "1".equals(query.get("watch"));
    String verb = verbOf(method, !name.isEmpty(), watch);
    if (name.isEmpty() && (verb.equals("list") || verb.equals("watch"))) {
      String selector = query.getOrDefault("fieldSelector", "");
      for (String term : selector.split(",")) {
        if (term.startsWith("metadata.name=")) {
          name = term.substring("metadata.name=".length());
        } else if (term.startsWith("metadata.name==")) {
          name = term.substring("metadata.name==".length());
        }
      }
    }
    return new Request(clusterId, verb, group, resource, namespace, name, path);
  }

  private static String verbOf(String method, boolean named, boolean watch) {
    return switch (method) {
      case "GET", "HEAD" -> named ? (watch ? "watch" : "get") : (watch ? "watch" : "list");
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> named ? "delete" : "deletecollection";
      default -> method.toLowerCase(java.util.Locale.ROOT);
    };
  }

  private static Map<String, String> query(String query) {
    Map<String, String> params = new LinkedHashMap<>();
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      params.put(key, value);
    }
    return params;
  }

  /** A dispatcher that records the sidecar's requests, then hands every request on. */
  public static final class Recorder extends Dispatcher {
    private final Dispatcher next;
    private final Path file;

    public Recorder(Dispatcher next) {
      this.next = next;
      this.file = directory().resolve(UUID.randomUUID() + ".tsv");
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      String auth = request.getHeader("Authorization");
      String prefix = "Bearer " + SIDECAR_TOKEN_PREFIX;
      if (auth != null && auth.startsWith(prefix)) {
        record(describe(auth.substring(prefix.length()), request.getMethod(), request.getPath()));
      }
      return next.dispatch(request);
    }

    private synchronized void record(Request request) {
      try {
        Files.createDirectories(file.getParent());
        Files.writeString(
            file, request.line() + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot record a Kubernetes request in " + file, e);
      }
    }

    @Override
    public void shutdown() {
      next.shutdown();
    }

    @Override
    public void releaseResources() {
      next.releaseResources();
    }
  }
}
