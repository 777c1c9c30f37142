package dev.flinksupervisor.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real headless Chromium driven over the Chrome DevTools Protocol (a WebSocket of the JDK's own
 * HTTP client): navigate, evaluate JavaScript in the page, take a screenshot.
 */
public final class HeadlessChromium implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

  private HeadlessChromium(Process process, WebSocket socket) {
    this.process = process;
    this.socket = socket;
  }

  /** The browser's command, when one is on the PATH. */
  public static Optional<String> find() {
    for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
      for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
        if (Files.isExecutable(Path.of(dir, name))) {
          return Optional.of(Path.of(dir, name).toString());
        }
      }
    }
    return Optional.empty();
  }

  public static HeadlessChromium start(String command, Path profile) throws Exception {
    Files.createDirectories(profile);
    Process process =
        new ProcessBuilder(
                command,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--remote-debugging-port=0",
                "--user-data-dir=" + profile,
                "--window-size=1400,1100",
                "about:blank")
            .redirectErrorStream(true)
            .redirectOutput(profile.resolve("chromium.log").toFile())
            .start();
    try {
      Path portFile = profile.resolve("DevToolsActivePort");
      Instant deadline = Instant.now().plusSeconds(60);
      while (!Files.exists(portFile) || Files.readAllLines(portFile).size() < 2) {
        if (!process.isAlive() || Instant.now().isAfter(deadline)) {
          throw new IllegalStateException(
              "Chromium did not start: " + Files.readString(profile.resolve("chromium.log")));
        }
        Thread.sleep(100);
      }
      int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
      HttpClient http = HttpClient.newHttpClient();
      JsonNode targets =
          JSON.readTree(
              http.send(
                      HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body());
      String page = null;
      for (JsonNode t : targets) {
        if ("page".equals(t.path("type").asText())) {
          page = t.get("webSocketDebuggerUrl").asText();
        }
      }
      if (page == null) {
        throw new IllegalStateException("Chromium has no page: " + targets);
      }
      Listener listener = new Listener();
      WebSocket socket =
          http.newWebSocketBuilder()
              .buildAsync(URI.create(page), listener)
              .get(30, TimeUnit.SECONDS);
      HeadlessChromium browser = new HeadlessChromium(process, socket);
      listener.browser = browser;
      return browser;
    } catch (Exception e) {
      process.destroyForcibly();
      throw e;
    }
  }

  /** Sends one DevTools command and waits for its answer. */
  public JsonNode call(String method, Map<String, Object> params) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    pending.put(id, answer);
    ObjectNode message = JSON.createObjectNode();
    message.put("id", id);
    message.put("method", method);
    message.set("params", JSON.valueToTree(params));
    socket.sendText(JSON.writeValueAsString(message), true).get(10, TimeUnit.SECONDS);
    JsonNode reply = answer.get(60, TimeUnit.SECONDS);
    if (reply.has("error")) {
      throw new IllegalStateException(method + ": " + reply.get("error"));
    }
    return reply.path("result");
  }

  public void navigate(String url) throws Exception {
    call("Page.navigate", Map.of("url", url));
  }

  /** The value of a JavaScript expression in the page (JSON-serialisable). */
  public JsonNode evaluate(String expression) throws Exception {
    JsonNode result =
        call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
    if (result.has("exceptionDetails")) {
      throw new IllegalStateException(expression + ": " + result.get("exceptionDetails"));
    }
    return result.path("result").path("value");
  }

  /** Polls {@code expression} until it is true, or fails after {@code timeout}. */
  public void await(String what, String expression, Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    while (!holds(expression)) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError(
            "Waited "
                + timeout
                + " for the page to show "
                + what
                + "; it shows:\n"
                + evaluate("document.body.innerText").asText());
      }
      Thread.sleep(200);
    }
  }

  /** Whether {@code expression} is true; false while the page throws (it may be loading). */
  private boolean holds(String expression) throws Exception {
    try {
      return evaluate(expression).asBoolean(false);
    } catch (IllegalStateException e) {
      return false;
    }
  }

  public void screenshot(Path file) throws Exception {
    JsonNode shot = call("Page.captureScreenshot", Map.of("format", "png"));
    Files.createDirectories(file.getParent());
    Files.write(file, Base64.getDecoder().decode(shot.get("data").asText()));
  }

  @Override
  public void close() throws Exception {
    socket.abort();
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }

  private static final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();
    private volatile HeadlessChromium browser;

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try {
          JsonNode message = JSON.readTree(partial.toString());
          if (message.has("id") && browser != null) {
            CompletableFuture<JsonNode> answer = browser.pending.remove(message.get("id").asInt());
            if (answer != null) {
              answer.complete(message);
            }
          }
        } catch (IOException e) {
          // not JSON: ignore
        }
        partial.setLength(0);
      }
      socket.request(1);
      return null;
    }
  }
}
