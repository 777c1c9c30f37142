package dev.flinksupervisor.plugins.failures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RuleTest {

  private static boolean matches(String rule, Throwable failure) {
    return Rule.parse(rule).matches(Chain.of(failure), null);
  }

  @Test
  void reads_all_keys() {
    Rule rule =
        Rule.parse(
            "category=SCHEMA_REGISTRY,type=USER,class=io.confluent.kafka.schemaregistry.*,"
                + "message=(?i)schema not found");

    assertThat(rule.labels()).isEqualTo(new Labels("SCHEMA_REGISTRY", Fault.USER));
    Rule.Match match = (Rule.Match) rule.condition();
    assertThat(match.classes())
        .containsExactly(new ClassName("io.confluent.kafka.schemaregistry.", true));
    assertThat(match.message().pattern()).isEqualTo("(?i)schema not found");
  }

  @Test
  void type_defaults_to_system() {
    assertThat(Rule.parse("category=QUOTA,message=(?i)quota exceeded").labels())
        .isEqualTo(new Labels("QUOTA", Fault.SYSTEM));
  }

  @Test
  void keys_and_values_are_trimmed() {
    Rule rule = Rule.parse(" category = QUOTA , type = USER , class = java.io.IOException ");

    assertThat(rule.labels()).isEqualTo(new Labels("QUOTA", Fault.USER));
    assertThat(((Rule.Match) rule.condition()).classes())
        .containsExactly(new ClassName("java.io.IOException", false));
  }

  @Test
  void message_runs_to_the_end_of_the_rule_commas_included() {
    Rule rule = Rule.parse("category=BAD_RECORD,type=USER,message=expected \\d{1,3} fields, got");

    assertThat(((Rule.Match) rule.condition()).message().pattern())
        .isEqualTo("expected \\d{1,3} fields, got");
    assertThat(
            rule.matches(Chain.of(new IllegalArgumentException("expected 12 fields, got 3")), null))
        .isTrue();
    assertThat(rule.matches(Chain.of(new IllegalArgumentException("expected 12 fields")), null))
        .isFalse();
  }

  @Test
  void a_key_after_message_is_part_of_the_regex() {
    assertThatThrownBy(() -> Rule.parse("message=quota,category=QUOTA"))
        .hasMessageContaining("'category' is missing")
        .hasMessageContaining("after 'message'");
  }

  @Test
  void class_lists_alternatives() {
    String rule = "category=IO,class=java.io.FileNotFoundException | java.net.*";

    assertThat(matches(rule, new java.io.FileNotFoundException("x"))).isTrue();
    assertThat(matches(rule, new java.net.ConnectException("x"))).isTrue();
    assertThat(matches(rule, new IOException("x"))).isFalse();
  }

  @Test
  void class_matches_superclasses_by_name() {
    assertThat(matches("category=IO,class=java.io.IOException", new SocketTimeoutException()))
        .isTrue();
    assertThat(matches("category=IO,class=java.io.IOException", new RuntimeException())).isFalse();
  }

  @Test
  void package_prefix_matches_the_package_and_below() {
    String rule = "category=K,class=org.apache.kafka.*";

    assertThat(matches(rule, new org.apache.kafka.common.errors.TimeoutException("x"))).isTrue();
    assertThat(matches(rule, new org.apache.kafka.common.KafkaException("x"))).isTrue();
    assertThat(matches(rule, new java.util.concurrent.TimeoutException("x"))).isFalse();
  }

  @Test
  void class_and_message_must_hold_for_the_same_throwable() {
    String rule = "category=X,class=java.io.IOException,message=disk full";

    assertThat(matches(rule, new RuntimeException("disk full", new IOException("closed"))))
        .isFalse();
    assertThat(matches(rule, new RuntimeException("wrapped", new IOException("disk full"))))
        .isTrue();
  }

  @Test
  void message_alone_looks_at_every_message_of_the_chain() {
    String rule = "category=QUOTA,message=(?i)quota exceeded";

    assertThat(matches(rule, new RuntimeException("a", new IOException("Quota exceeded"))))
        .isTrue();
    assertThat(matches(rule, new RuntimeException("a", new IOException("b")))).isFalse();
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiterString = "->",
      quoteCharacter = '"',
      textBlock =
          """
          ""                                           -> the rule is empty
          "   "                                        -> the rule is empty
          category=X                                   -> neither 'class' nor 'message'
          type=USER,class=a.B                          -> 'category' is missing
          category=x,class=a.B                         -> category 'x' is not upper case letters
          category=X-Y,class=a.B                       -> category 'X-Y' is not upper case letters
          category=X,type=user,class=a.B               -> type 'user' is neither USER nor SYSTEM
          category=X,typ=USER,class=a.B                -> unknown key 'typ'; the keys are category, type, class, message
          category=X,category=Y,class=a.B              -> 'category' is given twice
          category=X,class=a.B,class=c.D               -> 'class' is given twice
          category=X,class=org.apache.kafka.           -> 'org.apache.kafka.' is neither a class name
          category=X,class=*                           -> '*' is neither a class name
          category=X,class=a.B|                        -> '' is neither a class name
          category=X,class=a b                         -> 'a b' is neither a class name
          category=X,message=                          -> 'message' is empty
          category=X,message=(unclosed                 -> message '(unclosed' is not a Java regex: Unclosed group
          category=X,,class=a.B                        -> an empty pair between commas
          category=X,class=a.B,                        -> an empty pair between commas
          category=X,USER                              -> 'USER' is not a key=value pair
          """)
  void rejects_a_malformed_rule_saying_why(String rule, String reason) {
    assertThatThrownBy(() -> Rule.parse(rule == null ? "" : rule))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(reason);
  }
}
