package dev.flinksupervisor.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 7807 problem detail, the body of every error response ({@code application/problem+json}).
 *
 * @param type a URI naming the kind of problem
 * @param field the offending request field, when there is one
 * @param correlationId ties the response to the sidecar's log line, for unexpected errors
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
    String type, String title, int status, String detail, String field, String correlationId) {

  public static final String CONTENT_TYPE = "application/problem+json";
  private static final String TYPE_BASE = "https://flink-supervisor.dev/problems/";

  public static Problem of(int status, String slug, String title, String detail) {
    return new Problem(TYPE_BASE + slug, title, status, detail, null, null);
  }

  public Problem withField(String name) {
    return new Problem(type, title, status, detail, name, correlationId);
  }

  public Problem withCorrelationId(String id) {
    return new Problem(type, title, status, detail, field, id);
  }
}
