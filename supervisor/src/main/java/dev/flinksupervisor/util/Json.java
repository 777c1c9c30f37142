package dev.flinksupervisor.util;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one JSON configuration of the sidecar: ISO-8601 times, unknown fields refused in what clients
 * send; the sidecar's record is read ignoring fields a newer version added.
 */
public final class Json {
  private static final ObjectMapper MAPPER = newMapper();
  private static final ObjectMapper RECORD_MAPPER =
      newMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private Json() {}

  /** A shared, thread-safe mapper; do not reconfigure it. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /**
   * The mapper that reads the sidecar's record: fields it does not know (written by a newer version
   * of the sidecar during an upgrade or after a rollback) are ignored, not refused.
   */
  public static ObjectMapper recordMapper() {
    return RECORD_MAPPER;
  }

  /** {@code value} as JSON text; for values that are always serializable. */
  public static String writeString(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Not serializable as JSON: " + value.getClass(), e);
    }
  }

  public static ObjectMapper newMapper() {
    return new ObjectMapper()
        .registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }
}
