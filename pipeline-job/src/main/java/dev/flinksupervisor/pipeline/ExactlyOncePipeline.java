package dev.flinksupervisor.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.ParameterTool;

/**
 * Kafka in, keyed state, Kafka out, exactly once. Each input record is {@code <key>,<seq>}, the
 * sequence numbered per key from 1; each output record is {@code <key>,<seq>,<count>}, where {@code
 * count} is how many records of the key the job had seen, in keyed state. Read with {@code
 * isolation.level=read_committed}, the output holds every input record exactly once, and the counts
 * of a key run 1, 2, 3, ... without a gap or a repeat, however often the job failed and was
 * restored in between.
 *
 * <p>Arguments: {@code --bootstrap-servers}, {@code --input} (topic, default {@code input}), {@code
 * --output} ({@code output}), {@code --group} ({@code pipeline}), {@code --transactional-id-prefix}
 * ({@code pipeline}), {@code --checkpoint-interval} (ms, 1000), {@code --transaction-timeout} (ms,
 * 900000: above the longest time a transaction may stay open, the checkpoint interval plus the
 * longest outage, and at most the brokers' {@code transaction.max.timeout.ms}, 15 minutes by
 * default), {@code --restart-strategy} (Flink's, for example {@code none}: a failure fails the job,
 * and its supervisor recovers it), and for tests {@code --fail-once-on-key KEY} with {@code
 * --fail-once-marker PATH}: a record of that key fails the job if the file does not exist yet, and
 * creates it, so that the job fails once, whenever the test sends such a record.
 */
public final class ExactlyOncePipeline {
  public static final String DEFAULT_NAME = "exactly-once-pipeline";

  private ExactlyOncePipeline() {}

  public static void main(String[] args) throws Exception {
    ParameterTool params = ParameterTool.fromArgs(args);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    define(env, params);
    env.execute(params.get("name", DEFAULT_NAME));
  }

  /** Adds the pipeline to {@code env}, configured from {@code params}. */
  public static void define(StreamExecutionEnvironment env, ParameterTool params) {
    env.enableCheckpointing(
        params.getLong("checkpoint-interval", 1000L), CheckpointingMode.EXACTLY_ONCE);
    // A failed or cancelled job keeps its last checkpoint: it can be restored from it.
    env.getCheckpointConfig()
        .setExternalizedCheckpointRetention(ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    if (params.has("restart-strategy")) {
      Configuration restart = new Configuration();
      restart.set(RestartStrategyOptions.RESTART_STRATEGY, params.get("restart-strategy"));
      env.configure(restart);
    }
    String bootstrap = params.getRequired("bootstrap-servers");

    KafkaSource<String> source =
        KafkaSource.<String>builder()
            .setBootstrapServers(bootstrap)
            .setTopics(params.get("input", "input"))
            .setGroupId(params.get("group", "pipeline"))
            .setStartingOffsets(OffsetsInitializer.earliest())
            .setValueOnlyDeserializer(new SimpleStringSchema())
            .setProperty("isolation.level", "read_committed")
            .build();

    KafkaSink<String> sink =
        KafkaSink.<String>builder()
            .setBootstrapServers(bootstrap)
            .setRecordSerializer(
                KafkaRecordSerializationSchema.builder()
                    .setTopic(params.get("output", "output"))
                    .setValueSerializationSchema(new SimpleStringSchema())
                    .build())
            .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
            .setTransactionalIdPrefix(params.get("transactional-id-prefix", "pipeline"))
            .setProperty(
                "transaction.timeout.ms",
                String.valueOf(
                    params.getLong("transaction-timeout", Duration.ofMinutes(15).toMillis())))
            .build();

    env.fromSource(source, WatermarkStrategy.noWatermarks(), "input")
        .uid("input")
        .keyBy(ExactlyOncePipeline::keyOf, Types.STRING)
        .process(
            new CountPerKey(
                params.get("fail-once-on-key", null), params.get("fail-once-marker", null)))
        .uid("count-per-key")
        .name("count-per-key")
        .sinkTo(sink)
        .uid("output")
        .name("output");
  }

  static String keyOf(String record) {
    int comma = record.indexOf(',');
    return comma < 0 ? record : record.substring(0, comma);
  }

  /** Counts the records of each key in keyed state and writes each with its count. */
  static final class CountPerKey extends KeyedProcessFunction<String, String, String> {
    private static final long serialVersionUID = 1L;
    private final String failOnceOnKey;
    private final String failOnceMarker;
    private transient ValueState<Long> count;

    CountPerKey(String failOnceOnKey, String failOnceMarker) {
      this.failOnceOnKey = failOnceOnKey;
      this.failOnceMarker = failOnceMarker;
    }

    @Override
    public void open(OpenContext openContext) {
      count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.LONG));
    }

    @Override
    public void processElement(String record, Context ctx, Collector<String> out) throws Exception {
      if (failOnceMarker != null && ctx.getCurrentKey().equals(failOnceOnKey)) {
        failOnce(Path.of(failOnceMarker), record);
      }
      Long seen = count.value();
      long next = seen == null ? 1 : seen + 1;
      count.update(next);
      out.collect(record + "," + next);
    }

    private static void failOnce(Path marker, String record) throws IOException {
      try {
        Files.createFile(marker);
      } catch (java.nio.file.FileAlreadyExistsException done) {
        return; // failed once already
      }
      throw new IllegalStateException("Failing once, as asked, at record " + record);
    }
  }
}
