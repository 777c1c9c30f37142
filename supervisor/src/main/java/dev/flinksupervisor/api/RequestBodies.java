package dev.flinksupervisor.api;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.flinksupervisor.util.Json;
import io.javalin.http.Context;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;

/** Reads JSON request bodies; anything off is a 400 or 415 problem naming the field. */
final class RequestBodies {
  private static final Set<String> TARGET_SCHEMES =
      Set.of("file", "s3", "s3a", "s3p", "gs", "hdfs", "abfs", "abfss", "oss", "wasb", "wasbs");

  private RequestBodies() {}

  /** The body as {@code type}, or {@code whenEmpty} when the request has no body. */
  static <T> T read(Context ctx, Class<T> type, T whenEmpty) {
    String body = ctx.body();
    if (body.isBlank()) {
      return whenEmpty;
    }
    String contentType = ctx.contentType();
    if (contentType == null || !contentType.toLowerCase().startsWith("application/json")) {
      throw new ProblemException(
          Problem.of(
              415,
              "unsupported-media-type",
              "Unsupported media type",
              "Send the body as application/json."));
    }
    return parse(body, type);
  }

  /** JSON text as {@code type}; anything off is a 400 problem naming the field. */
  static <T> T parse(String body, Class<T> type) {
    try {
      return Json.mapper().readValue(body, type);
    } catch (UnrecognizedPropertyException e) {
      throw ProblemException.badRequest(
          e.getPropertyName(), "Unknown field '" + e.getPropertyName() + "'.");
    } catch (JsonMappingException e) {
      String field = fieldOf(e);
      Throwable cause = e.getCause() instanceof IllegalArgumentException ? e.getCause() : e;
      throw ProblemException.badRequest(
          field,
          (field == null ? "" : "Field '" + field + "': ")
              + (cause == e ? e.getOriginalMessage() : cause.getMessage()));
    } catch (JacksonException e) {
      throw ProblemException.badRequest(
          null, "The body is not valid JSON: " + e.getOriginalMessage());
    }
  }

  private static String fieldOf(JsonMappingException e) {
    return e.getPath().isEmpty() ? null : e.getPath().get(e.getPath().size() - 1).getFieldName();
  }

  /**
   * A savepoint target directory: an absolute URI with a known file system scheme and no {@code ..}
   * segments; null stays null (Flink's default).
   */
  static String targetDirectory(String value) {
    return value == null ? null : path("targetDirectory", value);
  }

  /** A path in a file system: an absolute URI with a known scheme and no '.' or '..'. */
  static String path(String field, String value) {
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      throw ProblemException.badRequest(field, "'" + value + "' is not a URI.");
    }
    if (uri.getScheme() == null || !TARGET_SCHEMES.contains(uri.getScheme())) {
      throw ProblemException.badRequest(
          field,
          "'"
              + field
              + "' must be an absolute URI with one of the schemes "
              + String.join(", ", TARGET_SCHEMES.stream().sorted().toList())
              + ", for example s3://bucket/savepoints.");
    }
    String path = uri.getPath() == null ? "" : uri.getPath();
    if (path.isEmpty() || path.contains("/../") || path.endsWith("/..") || path.contains("/./")) {
      throw ProblemException.badRequest(
          field, "'" + field + "' must be a plain path, without '.' or '..'.");
    }
    return value;
  }
}
