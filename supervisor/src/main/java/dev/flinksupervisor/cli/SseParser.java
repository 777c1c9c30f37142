package dev.flinksupervisor.cli;

import java.util.Optional;

/**
 * Reads a server-sent event stream line by line: {@code event:}, {@code id:} and {@code data:}
 * fields, comments ({@code :keep-alive}) skipped, an event complete at each blank line.
 */
final class SseParser {
  /** One event: its type ({@code message} when none was sent), id and data lines joined. */
  record SseEvent(String type, String id, String data) {}

  private String type;
  private String id;
  private StringBuilder data;

  /** Feeds one line (without its line break); an event when the line completes one. */
  Optional<SseEvent> line(String line) {
    if (line.isEmpty()) {
      if (data == null) {
        type = null;
        return Optional.empty();
      }
      SseEvent event = new SseEvent(type == null ? "message" : type, id, data.toString());
      type = null;
      data = null;
      return Optional.of(event);
    }
    if (line.startsWith(":")) {
      return Optional.empty();
    }
    int colon = line.indexOf(':');
    String field = colon < 0 ? line : line.substring(0, colon);
    String value = colon < 0 ? "" : line.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    switch (field) {
      case "event" -> type = value;
      case "id" -> id = value;
      case "data" -> {
        if (data == null) {
          data = new StringBuilder(value);
        } else {
          data.append('\n').append(value);
        }
      }
      default -> {
        // retry: and unknown fields are ignored, as the standard says
      }
    }
    return Optional.empty();
  }
}
