package dev.flinksupervisor.demo.job;

import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;
import org.apache.flink.util.ParameterTool;

/**
 * The example job: a rate-limited sequence of numbers, keyed into buckets, with a running count per
 * bucket in keyed state. It checkpoints, runs until stopped, and its state is checkable: the
 * operator's {@code highestCount} metric continues from the restored counts after a restore from a
 * savepoint, and starts again from zero after a fresh start.
 *
 * <p>Arguments: {@code --rate} records per second (default 20), {@code --buckets} (default 4),
 * {@code --checkpoint-interval} in ms (default 2000), {@code --name} (default "demo-job"), and
 * {@code --process-delay-ms} (default 0): a slow counter that makes the job back-pressured, so that
 * its checkpoints and savepoints take a while, as in a busy production job.
 */
public final class DemoJob {
  public static final String DEFAULT_NAME = "demo-job";
  public static final String COUNTER_UID = "bucket-counter";

  private DemoJob() {}

  public static void main(String[] args) throws Exception {
    ParameterTool params = ParameterTool.fromArgs(args);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    define(env, params);
    env.execute(params.get("name", DEFAULT_NAME));
  }

  /** Adds the job's pipeline to {@code env}, configured from {@code params}. */
  public static void define(StreamExecutionEnvironment env, ParameterTool params) {
    env.enableCheckpointing(params.getLong("checkpoint-interval", 2000L));
    // Keep the last checkpoint when the job fails or is cancelled: it can be restarted from it.
    env.getCheckpointConfig()
        .setExternalizedCheckpointRetention(ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    if (params.has("restart-strategy")) {
      Configuration restart = new Configuration();
      restart.set(RestartStrategyOptions.RESTART_STRATEGY, params.get("restart-strategy"));
      env.configure(restart);
    }
    int buckets = params.getInt("buckets", 4);
    double rate = params.getDouble("rate", 20.0);

    DataGeneratorSource<Long> source =
        new DataGeneratorSource<>(
            index -> index, Long.MAX_VALUE, RateLimiterStrategy.perSecond(rate), Types.LONG);

    env.fromSource(source, WatermarkStrategy.noWatermarks(), "sequence")
        .uid("sequence")
        .keyBy(value -> value % buckets, Types.LONG)
        .process(
            new BucketCounter(
                params.getLong("process-delay-ms", 0L), params.getLong("fail-every", 0L)))
        .uid(COUNTER_UID)
        .name("bucket-counter")
        .sinkTo(new DiscardingSink<>())
        .uid("discard")
        .name("discard");
  }

  /** Counts the numbers seen per bucket; the counts live in keyed state. */
  static final class BucketCounter extends KeyedProcessFunction<Long, Long, Long> {
    private static final long serialVersionUID = 1L;
    private final long delayMs;
    private final long failEvery;
    private transient ValueState<Long> count;
    private transient long highestCount;

    BucketCounter(long delayMs, long failEvery) {
      this.delayMs = delayMs;
      this.failEvery = failEvery;
    }

    @Override
    public void open(OpenContext openContext) {
      count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.LONG));
      getRuntimeContext().getMetricGroup().gauge("highestCount", () -> highestCount);
    }

    @Override
    public void processElement(Long value, Context ctx, Collector<Long> out) throws Exception {
      Long current = count.value();
      long next = current == null ? 1 : current + 1;
      if (failEvery > 0 && next % failEvery == 0) {
        throw new IllegalStateException(
            "Simulated failure: bucket " + ctx.getCurrentKey() + " reached " + next);
      }
      count.update(next);
      highestCount = Math.max(highestCount, next);
      if (delayMs > 0) {
        TimeUnit.MILLISECONDS.sleep(delayMs); // the simulated cost of processing one record
      }
      out.collect(next);
    }
  }
}
