package dev.flinksupervisor.plugins.failures;

import java.util.Map;
import java.util.concurrent.Executor;
import org.apache.flink.api.common.JobInfo;
import org.apache.flink.core.failure.FailureEnricher;
import org.apache.flink.core.failure.FailureEnricher.Context.FailureType;
import org.apache.flink.metrics.MetricGroup;

/** Failures as the JobManager sees them, for tests. */
final class Failures {
  private Failures() {}

  /** Gives the throwable a stack trace in these classes, top frame first. */
  static <T extends Throwable> T thrownIn(T throwable, String... classes) {
    StackTraceElement[] frames = new StackTraceElement[classes.length];
    for (int i = 0; i < classes.length; i++) {
      String simpleName = classes[i].substring(classes[i].lastIndexOf('.') + 1);
      frames[i] = new StackTraceElement(classes[i], "run", simpleName + ".java", 10 + i);
    }
    throwable.setStackTrace(frames);
    return throwable;
  }

  /** Gives the throwable a stack trace in Flink's task code, as a Flink-thrown failure has. */
  static <T extends Throwable> T thrownByFlink(T throwable) {
    return thrownIn(
        throwable,
        "org.apache.flink.streaming.runtime.tasks.StreamTask",
        "org.apache.flink.runtime.taskmanager.Task",
        "java.lang.Thread");
  }

  /** The two labels as a map, the way Flink gets them. */
  static Map<String, String> labels(String category, Fault fault) {
    return Map.of(FailureLabels.CATEGORY, category, FailureLabels.TYPE, fault.name());
  }

  /** A context that only knows the failure type; the rest is not for failure labels. */
  static FailureEnricher.Context context(FailureType failureType) {
    return new FailureEnricher.Context() {
      @Override
      public MetricGroup getMetricGroup() {
        throw new UnsupportedOperationException();
      }

      @Override
      public FailureType getFailureType() {
        return failureType;
      }

      @Override
      public ClassLoader getUserClassLoader() {
        throw new UnsupportedOperationException();
      }

      @Override
      public Executor getIOExecutor() {
        throw new UnsupportedOperationException();
      }

      @Override
      public JobInfo getJobInfo() {
        throw new UnsupportedOperationException();
      }
    };
  }
}
