package dev.flinksupervisor.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenAPI 3.0 schemas derived from the Java records the admin API reads and writes, the way the
 * server's Jackson mapper writes them, so the document cannot drift from the code:
 *
 * <ul>
 *   <li>a record is an object of its components; a nested record is a reference to its own schema,
 *       named after the class without a {@code Json} suffix;
 *   <li>{@code @JsonUnwrapped} components are flattened into the enclosing object;
 *   <li>a component is required when it is a primitive (always written) or annotated {@code
 *       JsonProperty(required = true)}; any other component may be null, or left out when the
 *       record is {@code JsonInclude(NON_NULL)}, except a nested record (see {@link #nullable});
 *   <li>{@link Instant} is a {@code date-time} string, {@link Duration} an ISO-8601 duration
 *       string, an enum a string of its constants, a collection an array, a map with string keys an
 *       object of values;
 *   <li>a request body refuses properties it does not know ({@code additionalProperties: false}),
 *       as the server's reader does; a response may grow properties in later versions.
 * </ul>
 */
final class RecordSchemas {
  private static final String PREFIX = "#/components/schemas/";

  private final Map<String, Object> schemas = new java.util.TreeMap<>();
  private final Map<String, Class<?>> named = new LinkedHashMap<>();
  private final java.util.Set<Class<?>> requestTypes = new java.util.HashSet<>();

  /** A reference to the schema of {@code type}, a record, derived when first asked for. */
  Map<String, Object> ref(Class<?> type, boolean request) {
    return Map.of("$ref", PREFIX + define(type, request));
  }

  /** Adds a schema written by hand (one that is no record), under {@code name}. */
  void put(String name, Map<String, Object> schema) {
    if (named.putIfAbsent(name, Map.class) != null) {
      throw new IllegalStateException("Two schemas named " + name);
    }
    schemas.put(name, schema);
  }

  Map<String, Object> all() {
    return schemas;
  }

  private String define(Class<?> type, boolean request) {
    if (!type.isRecord()) {
      throw new IllegalArgumentException(type + " is no record");
    }
    String name = nameOf(type);
    Class<?> earlier = named.putIfAbsent(name, type);
    if (earlier != null && earlier != type) {
      throw new IllegalStateException("Two schemas named " + name + ": " + earlier + ", " + type);
    }
    if (earlier == null || (request && requestTypes.add(type))) {
      // Derived again when a response's record turns out to be read too: a request refuses
      // unknown properties, down to its nested records.
      if (request) {
        requestTypes.add(type);
      }
      schemas.putIfAbsent(name, Map.of()); // a placeholder while its components are derived
      schemas.put(name, object(type, request || requestTypes.contains(type)));
    }
    return name;
  }

  private Map<String, Object> object(Class<?> type, boolean request) {
    Map<String, Object> properties = new LinkedHashMap<>();
    List<String> required = new ArrayList<>();
    collect(type, request, properties, required);
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("type", "object");
    o.put("properties", properties);
    if (!required.isEmpty()) {
      o.put("required", required);
    }
    if (request) {
      o.put("additionalProperties", false);
    }
    return o;
  }

  private void collect(
      Class<?> type, boolean request, Map<String, Object> properties, List<String> required) {
    boolean omitsNulls = omitsNulls(type);
    for (RecordComponent c : type.getRecordComponents()) {
      if (annotation(type, c, JsonUnwrapped.class) != null) {
        collect(c.getType(), request, properties, required);
        continue;
      }
      JsonProperty property = annotation(type, c, JsonProperty.class);
      String name =
          property != null && !property.value().isEmpty() ? property.value() : c.getName();
      boolean isRequired = c.getType().isPrimitive() || (property != null && property.required());
      Map<String, Object> schema = new LinkedHashMap<>(schemaOf(c.getGenericType(), request));
      if (!isRequired && !omitsNulls) {
        schema = nullable(schema);
      }
      properties.put(name, schema);
      if (isRequired) {
        required.add(name);
      }
    }
  }

  /**
   * An annotation written on a record component: Java keeps Jackson's annotations on the field and
   * the accessor the component makes, not on the component itself.
   */
  private static <A extends java.lang.annotation.Annotation> A annotation(
      Class<?> record, RecordComponent c, Class<A> kind) {
    try {
      A onField = record.getDeclaredField(c.getName()).getAnnotation(kind);
      return onField != null ? onField : c.getAccessor().getAnnotation(kind);
    } catch (NoSuchFieldException e) {
      throw new IllegalStateException("A record's component has its field", e);
    }
  }

  private Map<String, Object> schemaOf(Type type, boolean request) {
    if (type instanceof ParameterizedType p) {
      Class<?> raw = (Class<?>) p.getRawType();
      Type[] args = p.getActualTypeArguments();
      if (Collection.class.isAssignableFrom(raw)) {
        return Map.of("type", "array", "items", schemaOf(args[0], request));
      }
      if (Map.class.isAssignableFrom(raw) && args[0] == String.class) {
        return Map.of("type", "object", "additionalProperties", schemaOf(args[1], request));
      }
      throw new IllegalArgumentException("No schema for " + type);
    }
    Class<?> c = (Class<?>) type;
    if (c == String.class) {
      return Map.of("type", "string");
    }
    if (c == boolean.class || c == Boolean.class) {
      return Map.of("type", "boolean");
    }
    if (c == int.class || c == Integer.class) {
      return Map.of("type", "integer", "format", "int32");
    }
    if (c == long.class || c == Long.class) {
      return Map.of("type", "integer", "format", "int64");
    }
    if (c == double.class || c == Double.class) {
      return Map.of("type", "number", "format", "double");
    }
    if (c == Instant.class) {
      return Map.of("type", "string", "format", "date-time");
    }
    if (c == Duration.class) {
      return Map.of(
          "type", "string", "format", "duration", "description", "ISO-8601, for example PT10M");
    }
    if (c.isEnum()) {
      return Map.of(
          "type",
          "string",
          "enum",
          Arrays.stream(c.getEnumConstants()).map(e -> ((Enum<?>) e).name()).toList());
    }
    if (c.isRecord()) {
      return ref(c, request);
    }
    throw new IllegalArgumentException("No schema for " + type);
  }

  /**
   * A value that may be null. OpenAPI 3.0 cannot say so beside a {@code $ref}, so a nested record
   * is never written as null: its record leaves nulls out ({@code NON_NULL}), or the value is never
   * null, which the tests' validation of every response holds the server to.
   */
  private static Map<String, Object> nullable(Map<String, Object> schema) {
    if (schema.containsKey("$ref")) {
      return schema;
    }
    Map<String, Object> n = new LinkedHashMap<>(schema);
    n.put("nullable", true);
    return n;
  }

  private static boolean omitsNulls(Class<?> type) {
    JsonInclude include = type.getAnnotation(JsonInclude.class);
    return include != null && include.value() == JsonInclude.Include.NON_NULL;
  }

  private static String nameOf(Class<?> type) {
    String simple = type.getSimpleName();
    return simple.endsWith("Json") && simple.length() > 4
        ? simple.substring(0, simple.length() - 4)
        : simple;
  }
}
