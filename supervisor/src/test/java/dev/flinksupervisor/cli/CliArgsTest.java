package dev.flinksupervisor.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CliArgsTest {
  private static final CliArgs.Spec SPEC =
      CliArgs.Spec.common()
          .withValues("timeout", "target-directory")
          .withRepeatable("arg", "slot-profile")
          .withFlags("wait");

  private static CliArgs parse(String... args) {
    return CliArgs.parse("test", List.of(args), SPEC);
  }

  @Test
  void reads_options_flags_and_positionals_in_any_order() {
    CliArgs a =
        parse("abc", "--wait", "--timeout", "30s", "--target-directory=s3://b/sp", "-o", "json");

    assertThat(a.positionals()).containsExactly("abc");
    assertThat(a.flag("wait")).isTrue();
    assertThat(a.value("timeout")).isEqualTo("30s");
    assertThat(a.value("target-directory")).isEqualTo("s3://b/sp");
    assertThat(a.value("output")).isEqualTo("json");
    assertThat(a.has("url")).isFalse();
  }

  @Test
  void a_value_is_taken_as_it_is_even_when_it_starts_with_dashes() {
    CliArgs a =
        parse("--arg", "--input", "--arg", "s3://in", "--arg=--verbose", "--", "--not-an-option");

    assertThat(a.values("arg")).containsExactly("--input", "s3://in", "--verbose");
    assertThat(a.positionals()).containsExactly("--not-an-option");
  }

  @Test
  void bad_options_are_usage_errors_naming_the_option_and_the_help() {
    assertUsage(() -> parse("--bogus"), "unknown option --bogus for 'test'", "test --help");
    assertUsage(() -> parse("-x"), "unknown option -x");
    assertUsage(() -> parse("--timeout"), "--timeout needs a value");
    assertUsage(() -> parse("--wait=yes"), "--wait takes no value");
    assertUsage(() -> parse("--timeout", "1m", "--timeout", "2m"), "--timeout is given twice");
  }

  @Test
  void positional_arguments_are_counted() {
    parse("job-1").expectPositionals("ID");
    assertUsage(() -> parse().expectPositionals("ID"), "'test' needs ID");
    assertUsage(() -> parse("a", "b").expectPositionals("ID"), "unexpected argument 'b'");
  }

  @Test
  void durations_are_read_as_people_write_them() {
    assertThat(CliArgs.parseDuration("10m")).isEqualTo(Duration.ofMinutes(10));
    assertThat(CliArgs.parseDuration("10min")).isEqualTo(Duration.ofMinutes(10));
    assertThat(CliArgs.parseDuration("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(CliArgs.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(CliArgs.parseDuration("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(CliArgs.parseDuration("2d")).isEqualTo(Duration.ofDays(2));
    assertThat(CliArgs.parseDuration("PT10M")).isEqualTo(Duration.ofMinutes(10));
    assertThat(CliArgs.parseDuration("10")).isNull();
    assertThat(CliArgs.parseDuration("ten minutes")).isNull();
    assertThat(CliArgs.parseDuration("10m junk")).isNull();

    assertThat(parse().duration("timeout", Duration.ofMinutes(10)))
        .isEqualTo(Duration.ofMinutes(10));
    assertThat(parse("--timeout", "90s").duration("timeout", null))
        .isEqualTo(Duration.ofSeconds(90));
    assertUsage(
        () -> parse("--timeout", "soon").duration("timeout", null), "--timeout must be a duration");
    assertUsage(
        () -> parse("--timeout", "0s").duration("timeout", null), "--timeout must be a duration");
  }

  @Test
  void numbers_and_choices_are_checked() {
    CliArgs a = CliArgs.parse("t", List.of("--output", "JSON"), CliArgs.Spec.common());
    assertThat(a.choice("output", "TABLE", "TABLE", "JSON")).isEqualTo("JSON");
    CliArgs bad = CliArgs.parse("t", List.of("--output", "yaml"), CliArgs.Spec.common());
    assertUsage(
        () -> bad.choice("output", "TABLE", "TABLE", "JSON"),
        "--output must be one of table, json");

    CliArgs.Spec spec = CliArgs.Spec.common().withValues("parallelism");
    assertThat(CliArgs.parse("t", List.of("--parallelism", "4"), spec).intValue("parallelism", 1))
        .isEqualTo(4);
    assertUsage(
        () -> CliArgs.parse("t", List.of("--parallelism", "0"), spec).intValue("parallelism", 1),
        "--parallelism must be a whole number of at least 1");
    assertUsage(
        () -> CliArgs.parse("t", List.of("--parallelism", "four"), spec).intValue("parallelism", 1),
        "--parallelism must be a whole number");
  }

  @Test
  void group_assignments_keep_their_order_and_refuse_malformed_ones() {
    assertThat(CliArgs.assignments(List.of("default=small", "enrich=large"), "--slot-profile"))
        .containsExactly(Map.entry("default", "small"), Map.entry("enrich", "large"));
    assertUsage(
        () -> CliArgs.assignments(List.of("default"), "--slot-profile"), "must be GROUP=PROFILE");
    assertUsage(() -> CliArgs.assignments(List.of("=small"), "X"), "must be GROUP=PROFILE");
    assertUsage(() -> CliArgs.assignments(List.of("a=b", "a=c"), "X"), "names group 'a' twice");
  }

  static void assertUsage(Runnable call, String... fragments) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            CliException.class,
            e -> {
              assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE);
              assertThat(e.getMessage()).startsWith("error: ").doesNotContain("\n");
              for (String f : fragments) {
                assertThat(e.getMessage()).contains(f);
              }
            });
  }
}
