package dev.flinksupervisor.plugins.failures;

import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** The Flink configuration options of the failure labels, read from the JobManager's config. */
public final class FailureLabelsOptions {
  private FailureLabelsOptions() {}

  public static final ConfigOption<List<String>> RULES =
      ConfigOptions.key("failure-labels.rules")
          .stringType()
          .asList()
          .noDefaultValue()
          .withDescription(
              "Rules checked before the built-in ones, in order; the first that matches labels the"
                  + " failure. Each rule is comma-separated key=value pairs: category (required,"
                  + " upper case letters, digits and _), type (USER or SYSTEM, default SYSTEM),"
                  + " class (class names or package prefixes ending in .*, separated by |) and"
                  + " message (a Java regex, last: it runs to the end of the rule, commas"
                  + " included). A rule needs class, message or both. A malformed rule is"
                  + " skipped with a warning in the JobManager's log.");

  public static final ConfigOption<Boolean> BUILT_IN_RULES =
      ConfigOptions.key("failure-labels.built-in-rules")
          .booleanType()
          .defaultValue(true)
          .withDescription(
              "Whether the built-in rules are checked after the configured ones. Without them, a"
                  + " failure no configured rule matches is USER_CODE/USER when the job's code"
                  + " threw it and UNKNOWN/SYSTEM otherwise.");
}
