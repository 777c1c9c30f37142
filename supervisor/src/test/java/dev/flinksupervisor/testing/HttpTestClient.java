package dev.flinksupervisor.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A real HTTP client for the admin API in tests. Every response it receives is checked against the
 * API's contract ({@code docs/openapi.json}) with Atlassian's OpenAPI validator, and a response the
 * contract does not allow fails the test that received it.
 */
public final class HttpTestClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String baseUrl;
  private final boolean checked;

  /** A client of the admin API on {@code port}; its responses are checked against the contract. */
  public HttpTestClient(int port) {
    this(port, true);
  }

  /**
   * A client of any HTTP server on {@code port}: of the admin API ({@code checked}), or of another
   * one (a JobManager's REST API, the push listener) that the contract does not describe.
   */
  public HttpTestClient(int port, boolean checked) {
    this.baseUrl = "http://127.0.0.1:" + port;
    this.checked = checked;
  }

  /** One response: status, content type and the body parsed as JSON (null when empty). */
  public record Response(
      int status, String contentType, String body, java.net.http.HttpHeaders headers) {
    /** The first value of a response header, or null. */
    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    public JsonNode json() {
      try {
        return body.isEmpty() ? null : JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("Not JSON (" + status + "): " + body, e);
      }
    }
  }

  public Response get(String path, String token) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(10)).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return send(request.build());
  }

  /** A multipart/form-data POST: text fields, then one file field. */
  public Response postMultipart(
      String path,
      String token,
      java.util.Map<String, String> fields,
      String fileField,
      byte[] file) {
    String boundary = "----flink-supervisor-" + java.util.UUID.randomUUID();
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    java.nio.charset.Charset utf8 = java.nio.charset.StandardCharsets.UTF_8;
    fields.forEach(
        (name, value) ->
            body.writeBytes(
                ("--"
                        + boundary
                        + "\r\nContent-Disposition: form-data; name=\""
                        + name
                        + "\"\r\nContent-Type: application/json\r\n\r\n"
                        + value
                        + "\r\n")
                    .getBytes(utf8)));
    if (file != null) {
      body.writeBytes(
          ("--"
                  + boundary
                  + "\r\nContent-Disposition: form-data; name=\""
                  + fileField
                  + "\"; filename=\"job.jar\"\r\nContent-Type: application/java-archive\r\n\r\n")
              .getBytes(utf8));
      body.writeBytes(file);
      body.writeBytes("\r\n".getBytes(utf8));
    }
    body.writeBytes(("--" + boundary + "--\r\n").getBytes(utf8));
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(Duration.ofMinutes(2))
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return send(request.build());
  }

  /** A POST of a JSON body. */
  public Response postJson(String path, String token, String json) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return send(request.build());
  }

  public Response send(HttpRequest request) {
    try {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      if (checked) {
        ApiContract.check(request.method(), request.uri().getPath(), response);
      }
      return new Response(
          response.statusCode(),
          response.headers().firstValue("Content-Type").orElse(""),
          response.body(),
          response.headers());
    } catch (IOException e) {
      throw new UncheckedIOException("Request to " + request.uri() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("Interrupted", e);
    }
  }

  public String baseUrl() {
    return baseUrl;
  }
}
