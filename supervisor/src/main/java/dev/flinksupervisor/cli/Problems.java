package dev.flinksupervisor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/**
 * An error answer of the admin API as one line: {@code error: 409 This sidecar is on standby: Only
 * the ACTIVE sidecar acts; ...}. A problem detail ({@code application/problem+json}) gives its
 * status, title, detail and field; any other body (a proxy's page) its status and first line.
 */
final class Problems {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_TEXT = 300;
  private static final Map<Integer, String> REASONS =
      Map.ofEntries(
          Map.entry(400, "Bad request"),
          Map.entry(401, "Unauthorized"),
          Map.entry(403, "Forbidden"),
          Map.entry(404, "Not found"),
          Map.entry(405, "Method not allowed"),
          Map.entry(406, "Not acceptable"),
          Map.entry(409, "Conflict"),
          Map.entry(413, "Payload too large"),
          Map.entry(415, "Unsupported media type"),
          Map.entry(422, "Unprocessable entity"),
          Map.entry(429, "Too many requests"),
          Map.entry(500, "Internal server error"),
          Map.entry(502, "Bad gateway"),
          Map.entry(503, "Service unavailable"),
          Map.entry(504, "Gateway timeout"));

  private Problems() {}

  /** The exception a command ends with for an error answer. */
  static CliException toException(int status, String contentType, String body, String retryAfter) {
    return new CliException(
        ExitCodes.forStatus(status), line(status, contentType, body, retryAfter));
  }

  /**
   * One line for an error answer: status, title, detail, the field at fault, when to retry, and the
   * correlation id of an unexpected error (it is in the sidecar's log too).
   */
  static String line(int status, String contentType, String body, String retryAfter) {
    StringBuilder line = new StringBuilder("error: ").append(status);
    JsonNode problem = parseProblem(contentType, body);
    if (problem != null) {
      line.append(' ').append(text(problem, "title", reason(status)));
      String detail = text(problem, "detail", null);
      if (detail != null) {
        line.append(": ").append(detail);
      }
      String field = text(problem, "field", null);
      if (field != null) {
        line.append(" (field '").append(field).append("')");
      }
      String correlation = text(problem, "correlationId", null);
      if (correlation != null) {
        line.append(" (correlation id ").append(correlation).append(')');
      }
    } else {
      line.append(' ').append(reason(status));
      String first = firstLine(body);
      if (!first.isEmpty() && !first.startsWith("<")) { // not an HTML page
        line.append(": ").append(first);
      }
    }
    if (retryAfter != null && !retryAfter.isBlank()) {
      line.append(" (retry after ").append(retryAfter.strip());
      line.append(retryAfter.strip().chars().allMatch(Character::isDigit) ? "s)" : ")");
    }
    return oneLine(line.toString());
  }

  private static JsonNode parseProblem(String contentType, String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    String type = contentType == null ? "" : contentType.toLowerCase(java.util.Locale.ROOT);
    if (!type.contains("json")) {
      return null;
    }
    try {
      JsonNode node = JSON.readTree(body);
      return node != null && node.isObject() && (node.has("title") || node.has("detail"))
          ? node
          : null;
    } catch (java.io.IOException e) {
      return null;
    }
  }

  private static String text(JsonNode node, String field, String fallback) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() || value.asText().isBlank() ? fallback : value.asText();
  }

  static String reason(int status) {
    return REASONS.getOrDefault(status, "HTTP " + (status >= 500 ? "server error" : "error"));
  }

  private static String firstLine(String body) {
    if (body == null) {
      return "";
    }
    String first = body.strip().lines().findFirst().orElse("").strip();
    return first.length() > MAX_TEXT ? first.substring(0, MAX_TEXT) + "…" : first;
  }

  /** Line breaks and runs of blanks as one space, so that the message stays one line. */
  static String oneLine(String text) {
    return text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
  }
}
