package dev.flinksupervisor.plugins.failures;

import static dev.flinksupervisor.plugins.failures.Failures.context;
import static dev.flinksupervisor.plugins.failures.Failures.labels;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.core.failure.FailureEnricher;
import org.apache.flink.core.failure.FailureEnricher.Context.FailureType;
import org.junit.jupiter.api.Test;

class FailureLabelsTest {
  private final FailureLabels enricher = new FailureLabels(Rules.of(List.of(), true));

  /** A throwable whose every overridable method throws. */
  static final class HostileThrowable extends Throwable {
    @Override
    public String getMessage() {
      throw new IllegalStateException("getMessage");
    }

    @Override
    public String getLocalizedMessage() {
      throw new IllegalStateException("getLocalizedMessage");
    }

    @Override
    public synchronized Throwable getCause() {
      throw new IllegalStateException("getCause");
    }

    @Override
    public StackTraceElement[] getStackTrace() {
      throw new IllegalStateException("getStackTrace");
    }

    @Override
    public String toString() {
      throw new IllegalStateException("toString");
    }
  }

  private static Map<String, String> completedLabels(
      CompletableFuture<Map<String, String>> future) {
    assertThat(future).isCompleted().isNotCompletedExceptionally();
    Map<String, String> labels = future.join();
    assertThat(labels.keySet()).containsExactlyInAnyOrder("type", "category");
    return labels;
  }

  @Test
  void output_keys_are_type_and_category() {
    assertThat(enricher.getOutputKeys()).containsExactlyInAnyOrder("type", "category");
  }

  @Test
  void labels_a_failure_with_a_completed_future() {
    Map<String, String> labels =
        completedLabels(
            enricher.processFailure(
                new ConnectException("Connection refused"), context(FailureType.TASK)));

    assertThat(labels).isEqualTo(labels(Categories.NETWORK, Fault.SYSTEM));
  }

  @Test
  void a_hostile_throwable_still_gets_two_labels() {
    CompletableFuture<Map<String, String>> future =
        enricher.processFailure(new HostileThrowable(), context(FailureType.GLOBAL));

    assertThat(completedLabels(future)).isEqualTo(labels(Categories.USER_CODE, Fault.USER));
  }

  @Test
  void a_hostile_cause_still_gets_two_labels() {
    RuntimeException failure = new RuntimeException("wrapper", new HostileThrowable());

    completedLabels(enricher.processFailure(failure, context(FailureType.TASK)));
  }

  @Test
  void a_context_that_throws_makes_the_failure_unknown() {
    FailureEnricher.Context broken =
        new FailureEnricher.Context() {
          @Override
          public org.apache.flink.metrics.MetricGroup getMetricGroup() {
            throw new UnsupportedOperationException();
          }

          @Override
          public FailureType getFailureType() {
            throw new IllegalStateException("no failure type");
          }

          @Override
          public ClassLoader getUserClassLoader() {
            throw new UnsupportedOperationException();
          }

          @Override
          public java.util.concurrent.Executor getIOExecutor() {
            throw new UnsupportedOperationException();
          }

          @Override
          public org.apache.flink.api.common.JobInfo getJobInfo() {
            throw new UnsupportedOperationException();
          }
        };

    assertThat(completedLabels(enricher.processFailure(new ConnectException("x"), broken)))
        .isEqualTo(labels(Categories.UNKNOWN, Fault.SYSTEM));
  }

  @Test
  void no_failure_and_no_context_are_unknown() {
    assertThat(completedLabels(enricher.processFailure(null, null)))
        .isEqualTo(labels(Categories.UNKNOWN, Fault.SYSTEM));
  }

  @Test
  void each_failure_gets_a_future_of_its_own() {
    CompletableFuture<Map<String, String>> first = enricher.processFailure(null, null);
    CompletableFuture<Map<String, String>> second = enricher.processFailure(null, null);

    assertThat(first).isNotSameAs(second);
  }
}
