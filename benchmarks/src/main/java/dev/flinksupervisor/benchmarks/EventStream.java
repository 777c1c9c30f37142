package dev.flinksupervisor.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The sidecar's server-sent events ({@code GET /api/v1/events/stream}), read in the background:
 * every event with the wall-clock time its data line arrived here.
 */
final class EventStream implements AutoCloseable {

  /** One event as it arrived: its type, its JSON, and when it arrived (epoch ms). */
  record Arrival(long arrivedAtMillis, String type, JsonNode event) {}

  private final List<Arrival> arrivals = new CopyOnWriteArrayList<>();
  private final InputStream body;
  private final Thread reader;

  private EventStream(InputStream body) {
    this.body = body;
    this.reader = new Thread(this::read, "event-stream");
    reader.setDaemon(true);
  }

  static EventStream open(Http http, String sidecarUrl, String token) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(sidecarUrl + "/api/v1/events/stream"))
            .header("Authorization", "Bearer " + token)
            .header("Accept", "text/event-stream")
            .build();
    HttpResponse<InputStream> response =
        http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("The event stream answered " + response.statusCode());
    }
    EventStream stream = new EventStream(response.body());
    stream.reader.start();
    return stream;
  }

  List<Arrival> arrivals() {
    return arrivals;
  }

  private void read() {
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      String type = null;
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.startsWith("event:")) {
          type = line.substring("event:".length()).trim();
        } else if (line.startsWith("data:")) {
          long arrived = System.currentTimeMillis();
          JsonNode event = Http.JSON.readTree(line.substring("data:".length()).trim());
          arrivals.add(new Arrival(arrived, type, event));
        } else if (line.isEmpty()) {
          type = null;
        }
      }
    } catch (IOException e) {
      // closed
    }
  }

  @Override
  public void close() throws IOException {
    body.close();
  }
}
