package dev.flinksupervisor.plugins.push;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonGenerator;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The request body of one batch:
 *
 * <pre>{@code
 * {"reporter":"jm-0","instance":"5f0c...","sent":1733100000123,"dropped":3,"failedBatches":1,"events":[
 *   {"name":"JobStatusChangeEvent","observedAt":1733100000100,"jobId":"3f1c...",
 *    "jobName":"orders","attributes":{"newJobStatus":"RESTARTING"}}]}
 * }</pre>
 *
 * {@code instance} is new with every start of the reporter (of its JobManager); {@code dropped} and
 * {@code failedBatches} count since the reporter was opened; {@code jobId} and {@code jobName} are
 * null for an event of no job; attribute values are always strings. {@code cost} says what the
 * plugin cost the JobManager so far: the calls of its thread into the reporter ({@code handOffs},
 * their total and longest time in nanoseconds) and the sender thread's CPU time in nanoseconds (-1
 * where the JVM cannot tell).
 */
final class PushBatchJson {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private PushBatchJson() {}

  static byte[] encode(
      String reporter, String instance, long sent, PushStats stats, List<PushedEvent> events) {
    return encode(reporter, instance, sent, stats.dropped(), stats.failedBatches(), stats, events);
  }

  static byte[] encode(
      String reporter,
      String instance,
      long sent,
      long dropped,
      long failedBatches,
      PushStats cost,
      List<PushedEvent> events) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 + 160 * events.size());
    try (JsonGenerator json = MAPPER.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("reporter", reporter);
      json.writeStringField("instance", instance);
      json.writeNumberField("sent", sent);
      json.writeNumberField("dropped", dropped);
      json.writeNumberField("failedBatches", failedBatches);
      json.writeObjectFieldStart("cost");
      json.writeNumberField("handOffs", cost.handOffs());
      json.writeNumberField("handOffNanos", cost.handOffNanos());
      json.writeNumberField("handOffMaxNanos", cost.handOffMaxNanos());
      json.writeNumberField("senderCpuNanos", cost.senderCpuNanos());
      json.writeEndObject();
      json.writeArrayFieldStart("events");
      for (PushedEvent event : events) {
        json.writeStartObject();
        json.writeStringField("name", event.name());
        json.writeNumberField("observedAt", event.observedAt());
        json.writeStringField("jobId", event.jobId());
        json.writeStringField("jobName", event.jobName());
        json.writeObjectFieldStart("attributes");
        for (Map.Entry<String, String> attribute : event.attributes().entrySet()) {
          json.writeStringField(attribute.getKey(), attribute.getValue());
        }
        json.writeEndObject();
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a batch to memory", e);
    }
    return out.toByteArray();
  }
}
