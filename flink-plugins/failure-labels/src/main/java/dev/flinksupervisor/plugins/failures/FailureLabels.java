package dev.flinksupervisor.plugins.failures;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.core.failure.FailureEnricher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Labels every failure of a job with {@code type} ({@code USER} or {@code SYSTEM}) and {@code
 * category}, by {@link Rules}. Enable it with {@code jobmanager.failure-enrichers:
 * dev.flinksupervisor.plugins.failures.FailureLabels}.
 *
 * <p>The JobMaster's main thread calls {@link #processFailure}: it works on what is at hand, in
 * place, and answers with a completed future. It never throws: if labelling fails, the failure is
 * {@code UNKNOWN}/{@code SYSTEM}.
 */
public final class FailureLabels implements FailureEnricher {
  public static final String TYPE = "type";
  public static final String CATEGORY = "category";

  private static final Logger LOG = LoggerFactory.getLogger(FailureLabels.class);
  private static final Set<String> OUTPUT_KEYS = Set.of(TYPE, CATEGORY);
  private static final Map<String, String> UNKNOWN = asMap(Labels.UNKNOWN);

  private final Rules rules;

  FailureLabels(Rules rules) {
    this.rules = rules;
  }

  @Override
  public Set<String> getOutputKeys() {
    return OUTPUT_KEYS;
  }

  @Override
  public CompletableFuture<Map<String, String>> processFailure(Throwable cause, Context context) {
    Map<String, String> labels;
    try {
      labels = asMap(rules.classify(cause, context == null ? null : context.getFailureType()));
    } catch (Throwable e) {
      labels = UNKNOWN;
      warnQuietly(e);
    }
    return CompletableFuture.completedFuture(labels);
  }

  private static Map<String, String> asMap(Labels labels) {
    return Map.of(TYPE, labels.fault().name(), CATEGORY, labels.category());
  }

  /** Only the class name: the caught throwable's own methods may be what threw. */
  private static void warnQuietly(Throwable e) {
    try {
      LOG.warn(
          "Could not label a failure ({} while labelling it); labelled it {}.",
          e.getClass().getName(),
          Labels.UNKNOWN);
    } catch (Throwable ignored) {
      // Nothing left to do: the labels are set.
    }
  }
}
