package dev.flinksupervisor.api;

import dev.flinksupervisor.api.ApiModel.EventJson;
import dev.flinksupervisor.api.ApiModel.EventListJson;
import dev.flinksupervisor.supervision.Event;
import dev.flinksupervisor.supervision.EventLog;
import dev.flinksupervisor.supervision.EventSubscription;
import dev.flinksupervisor.util.Json;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** The event history and the live event stream, under {@code /api/v1/events}. */
final class EventRoutes {
  private final EventLog events;
  private final int queueCapacity;
  private final int maxStreams;

  EventRoutes(EventLog events, int queueCapacity, int maxStreams) {
    this.events = events;
    this.queueCapacity = queueCapacity;
    this.maxStreams = maxStreams;
  }

  void register(RoutesConfig routes, String api) {
    routes.get(api + "/events", this::events);
    routes.before(
        api + "/events/stream",
        ctx -> {
          String accept = ctx.header("Accept");
          boolean get = ctx.method() == io.javalin.http.HandlerType.GET;
          if (get && (accept == null || !accept.contains("text/event-stream"))) {
            throw new ProblemException(
                Problem.of(
                    406,
                    "not-acceptable",
                    "Not acceptable",
                    "The event stream is server-sent events: send 'Accept: text/event-stream'."));
          }
          if (get) {
            subscribe(ctx);
          }
        });
    routes.sse(api + "/events/stream", this::eventStream);
  }

  private void events(Context ctx) {
    String jobId = ctx.queryParam("jobId");
    Instant since = parseSince(ctx.queryParam("since"));
    ctx.json(new EventListJson(events.query(jobId, since).stream().map(EventJson::of).toList()));
  }

  private static final String SUBSCRIPTION = "flink-supervisor.event-subscription";

  /** Opens the event stream's subscription before answering, so that too many is a 503. */
  private void subscribe(Context ctx) {
    String jobId = ctx.queryParam("jobId");
    Instant since = parseSince(ctx.queryParam("since"));
    try {
      ctx.attribute(SUBSCRIPTION, events.subscribe(jobId, since, queueCapacity, maxStreams));
    } catch (EventLog.TooManySubscriptions e) {
      throw new ProblemException(
              Problem.of(503, "too-many-streams", "Too many event streams", e.getMessage()))
          .retryAfter(10);
    }
  }

  /**
   * Server-sent events: every event as it is recorded ({@code event: <type>}, {@code id}, JSON
   * data), after those since {@code ?since=} when given; {@code ?jobId=} narrows to one job. Each
   * client is served by its own thread from its own bounded queue: a slow client only slows itself,
   * and one that falls too far behind gets a {@code dropped} event and is disconnected.
   */
  private void eventStream(SseClient client) {
    EventSubscription subscription = client.ctx().attribute(SUBSCRIPTION);
    if (subscription == null) {
      client.close();
      return;
    }
    client.keepAlive(); // the response ends when this client is closed, not when this returns
    client.onClose(subscription::close);
    try {
      while (!client.terminated()) {
        java.util.Optional<Event> next = subscription.next(Duration.ofSeconds(15));
        if (next.isPresent()) {
          Event e = next.get();
          client.sendEvent(e.type(), Json.writeString(EventJson.of(e)), String.valueOf(e.id()));
        } else if (subscription.closed()) {
          subscription
              .dropped()
              .ifPresent(
                  reason ->
                      client.sendEvent(
                          "dropped", Json.writeString(new OpenApiDocument.StreamDropped(reason))));
          break;
        } else {
          client.sendComment("keep-alive");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      subscription.close();
      client.close();
    }
  }

  private static Instant parseSince(String sinceText) {
    if (sinceText == null) {
      return null;
    }
    try {
      return Instant.parse(sinceText);
    } catch (DateTimeParseException e) {
      throw ProblemException.badRequest(
          "since", "'since' must be an ISO-8601 instant such as 2026-01-01T00:00:00Z.");
    }
  }
}
