package dev.flinksupervisor.plugins.failures;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.failure.FailureEnricher.Context.FailureType;

/**
 * The rules in the order they are checked: the configured ones, then the {@link BuiltInRules
 * built-in} ones (unless turned off), then {@link BuiltInRules#USER_CODE}. The first rule that
 * matches gives the labels; when none does, the failure is {@code UNKNOWN}/{@code SYSTEM}.
 */
final class Rules {
  private final List<Rule> rules;

  private Rules(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  static Rules of(List<Rule> configured, boolean builtIns) {
    List<Rule> rules = new ArrayList<>(configured);
    if (builtIns) {
      rules.addAll(BuiltInRules.ALL);
    }
    rules.add(BuiltInRules.USER_CODE);
    return new Rules(rules);
  }

  List<Rule> asList() {
    return rules;
  }

  /**
   * The labels of a failure.
   *
   * @param failure the failure, may be null
   * @param failureType how Flink reports the failure, may be null
   */
  Labels classify(Throwable failure, FailureType failureType) {
    Chain chain = Chain.of(failure);
    for (int i = 0; i < rules.size(); i++) {
      Rule rule = rules.get(i);
      if (rule.matches(chain, failureType)) {
        return rule.labels();
      }
    }
    return Labels.UNKNOWN;
  }

  /**
   * Reads the configured rules, each on its own: a malformed rule becomes a problem and the others
   * are kept.
   */
  static Parsed parse(List<String> texts) {
    List<Rule> rules = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      String text = texts.get(i);
      try {
        rules.add(Rule.parse(text));
      } catch (IllegalArgumentException e) {
        problems.add(new Problem(i + 1, text, e.getMessage()));
      }
    }
    return new Parsed(List.copyOf(rules), List.copyOf(problems));
  }

  /** The rules that could be read, and what was wrong with the others. */
  record Parsed(List<Rule> rules, List<Problem> problems) {}

  /**
   * A rule that could not be read.
   *
   * @param position the rule's position in the configured list, counted from 1
   */
  record Problem(int position, String rule, String reason) {}
}
