package dev.flinksupervisor.plugins.push;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.ToIntFunction;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

/** A real HTTP server on 127.0.0.1 standing in for the sidecar's push endpoint. */
final class Receiver implements AutoCloseable {

  static final String PATH = "/push/v1/events";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  record Request(
      String method, String path, String authorization, String contentType, JsonNode body) {}

  private final HttpServer server;
  private final ExecutorService executor;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile ToIntFunction<Request> answer = request -> 200;
  private volatile CountDownLatch gate = new CountDownLatch(0);

  private Receiver(int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    executor =
        Executors.newCachedThreadPool(
            task -> {
              Thread thread = new Thread(task, "test-receiver");
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  static Receiver start() throws IOException {
    return new Receiver(0);
  }

  static Receiver start(int port) throws IOException {
    return new Receiver(port);
  }

  /** A port nothing listens on: connections to it are refused. */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  static String url(int port) {
    return "http://127.0.0.1:" + port + PATH;
  }

  String url() {
    return url(server.getAddress().getPort());
  }

  /** Status code for each request; 200 unless told otherwise. */
  void answer(ToIntFunction<Request> answer) {
    this.answer = answer;
  }

  /** Requests are recorded but not answered until {@link #release()}. */
  void hang() {
    gate = new CountDownLatch(1);
  }

  void release() {
    gate.countDown();
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  /** Every event of every request, in the order received. */
  List<JsonNode> events() {
    List<JsonNode> events = new ArrayList<>();
    for (Request request : requests) {
      request.body().get("events").forEach(events::add);
    }
    return events;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      byte[] body = exchange.getRequestBody().readAllBytes();
      Request request =
          new Request(
              exchange.getRequestMethod(),
              exchange.getRequestURI().getPath(),
              exchange.getRequestHeaders().getFirst("Authorization"),
              exchange.getRequestHeaders().getFirst("Content-Type"),
              MAPPER.readTree(body));
      requests.add(request);
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      exchange.sendResponseHeaders(answer.applyAsInt(request), -1);
    } finally {
      exchange.close();
    }
  }

  @Override
  public void close() {
    release();
    server.stop(0);
    executor.shutdownNow();
  }
}
