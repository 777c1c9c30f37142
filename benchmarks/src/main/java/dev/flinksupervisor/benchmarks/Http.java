package dev.flinksupervisor.benchmarks;

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
 * The benchmarks' HTTP client: {@link HttpClient} on HTTP/1.1, the one client for the sidecar and
 * for Flink alike, so that neither side gets a different protocol or connection handling.
 */
final class Http {
  static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  HttpClient client() {
    return client;
  }

  static HttpRequest get(String url, String token) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return request.build();
  }

  /** The status of {@code GET url}; -1 when there is no answer at all. */
  int status(String url, String token) {
    try {
      return send(get(url, token), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (UncheckedIOException e) {
      return -1;
    }
  }

  /** The body of {@code GET url}; fails unless the status is 200. */
  String body(String url, String token) {
    HttpResponse<String> response = send(get(url, token), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "GET " + url + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }

  JsonNode json(String url, String token) {
    try {
      return JSON.readTree(body(url, token));
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + url + " is not JSON", e);
    }
  }

  /** {@code POST url} with an empty JSON object as the body. */
  HttpResponse<String> post(String url, String token) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{}"))
            .build();
    return send(request, HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Sends a request; an I/O failure is an {@link UncheckedIOException}, an interruption an {@link
   * IllegalStateException} with the thread's interrupt flag set again.
   */
  <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) {
    try {
      return client.send(request, body);
    } catch (IOException e) {
      throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted", e);
    }
  }
}
