package dev.flinksupervisor.plugins.failures;

import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.failure.FailureEnricher;
import org.apache.flink.core.failure.FailureEnricherFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds {@link FailureLabels} from the JobManager's configuration; found by Flink's plugin manager
 * through {@code META-INF/services}.
 *
 * <p>A bad rule or option never stops the JobManager: a malformed rule is skipped with a warning
 * naming its position and what is wrong, the other rules are kept; an option that cannot be read is
 * warned about and its default used.
 */
public final class FailureLabelsFactory implements FailureEnricherFactory {
  private static final Logger LOG = LoggerFactory.getLogger(FailureLabelsFactory.class);

  @Override
  public FailureEnricher createFailureEnricher(Configuration conf) {
    return new FailureLabels(rules(conf));
  }

  static Rules rules(Configuration conf) {
    List<String> texts = read(conf, FailureLabelsOptions.RULES, List.of());
    Rules.Parsed parsed = Rules.parse(texts);
    for (Rules.Problem problem : parsed.problems()) {
      LOG.warn(
          "Skipping rule {} of {} in {} ({}): {}.",
          problem.position(),
          texts.size(),
          FailureLabelsOptions.RULES.key(),
          problem.rule(),
          problem.reason());
    }
    boolean builtIns = read(conf, FailureLabelsOptions.BUILT_IN_RULES, true);
    LOG.info(
        "Failure labels: {} configured rule(s), built-in rules {}.",
        parsed.rules().size(),
        builtIns ? "on" : "off");
    return Rules.of(parsed.rules(), builtIns);
  }

  private static <T> T read(Configuration conf, ConfigOption<T> option, T fallback) {
    try {
      T value = conf.get(option);
      return value != null ? value : fallback;
    } catch (RuntimeException e) {
      LOG.warn("Cannot read {} ({}); using {}.", option.key(), e.getMessage(), fallback);
      return fallback;
    }
  }
}
