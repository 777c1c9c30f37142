package dev.flinksupervisor.plugins.failures;

import static dev.flinksupervisor.plugins.failures.Failures.context;
import static dev.flinksupervisor.plugins.failures.Failures.labels;
import static dev.flinksupervisor.plugins.failures.Failures.thrownByFlink;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.failure.FailureEnricher;
import org.apache.flink.core.failure.FailureEnricher.Context.FailureType;
import org.apache.flink.core.failure.FailureEnricherFactory;
import org.junit.jupiter.api.Test;

class FailureLabelsFactoryTest {
  private static final String SERVICES =
      "META-INF/services/" + FailureEnricherFactory.class.getName();

  private static Map<String, String> label(FailureEnricher enricher, Throwable failure) {
    return enricher.processFailure(failure, context(FailureType.TASK)).join();
  }

  @Test
  void the_services_file_names_the_factory() throws IOException {
    List<URL> files = Collections.list(getClass().getClassLoader().getResources(SERVICES));
    assertThat(files).hasSize(1);
    try (InputStream in = files.get(0).openStream()) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8).strip())
          .isEqualTo(FailureLabelsFactory.class.getName());
    }

    assertThat(ServiceLoader.load(FailureEnricherFactory.class))
        .hasExactlyElementsOfTypes(FailureLabelsFactory.class);
  }

  @Test
  void the_enricher_is_the_class_to_configure() {
    FailureEnricher enricher =
        new FailureLabelsFactory().createFailureEnricher(new Configuration());

    assertThat(enricher.getClass().getName())
        .isEqualTo("dev.flinksupervisor.plugins.failures.FailureLabels");
  }

  @Test
  void builds_the_enricher_from_rules_set_as_a_list() {
    Configuration conf = new Configuration();
    conf.set(
        FailureLabelsOptions.RULES,
        List.of(
            "category=QUOTA,message=(?i)quota exceeded",
            "category=broken",
            "category=BAD_RECORD,type=USER,message=expected \\d+ fields, got \\d+"));

    FailureEnricher enricher = new FailureLabelsFactory().createFailureEnricher(conf);

    assertThat(label(enricher, thrownByFlink(new IOException("Quota exceeded for client-1"))))
        .isEqualTo(labels("QUOTA", Fault.SYSTEM));
    assertThat(label(enricher, new IOException("expected 12 fields, got 3")))
        .isEqualTo(labels("BAD_RECORD", Fault.USER));
    assertThat(label(enricher, new ConnectException("refused")))
        .isEqualTo(labels(Categories.NETWORK, Fault.SYSTEM));
    assertThat(FailureLabelsFactory.rules(conf).asList()).hasSize(2 + BuiltInRules.ALL.size() + 1);
  }

  @Test
  void reads_rules_written_as_a_yaml_list() {
    Configuration conf =
        Configuration.fromMap(
            Map.of(
                "failure-labels.rules",
                "['category=QUOTA,message=(?i)quota exceeded',"
                    + " 'category=SCHEMA,type=USER,class=io.confluent.*']"));

    assertThat(FailureLabelsFactory.rules(conf).asList())
        .extracting(Rule::toString)
        .startsWith(
            "category=QUOTA,message=(?i)quota exceeded",
            "category=SCHEMA,type=USER,class=io.confluent.*");
  }

  @Test
  void reads_rules_written_the_legacy_way_separated_by_semicolons() {
    Configuration conf =
        Configuration.fromMap(
            Map.of(
                "failure-labels.rules",
                "category=QUOTA,message=(?i)quota exceeded;category=SCHEMA,class=io.confluent.*"));

    assertThat(FailureLabelsFactory.rules(conf).asList())
        .extracting(Rule::toString)
        .startsWith(
            "category=QUOTA,message=(?i)quota exceeded", "category=SCHEMA,class=io.confluent.*");
  }

  @Test
  void built_in_rules_can_be_turned_off() {
    Configuration conf = new Configuration();
    conf.set(FailureLabelsOptions.BUILT_IN_RULES, false);

    FailureEnricher enricher = new FailureLabelsFactory().createFailureEnricher(conf);

    assertThat(label(enricher, thrownByFlink(new ConnectException("refused"))))
        .isEqualTo(labels(Categories.UNKNOWN, Fault.SYSTEM));
  }

  @Test
  void an_unreadable_option_falls_back_to_its_default() {
    Configuration conf = Configuration.fromMap(Map.of("failure-labels.built-in-rules", "maybe"));

    FailureEnricher enricher = new FailureLabelsFactory().createFailureEnricher(conf);

    assertThat(label(enricher, new ConnectException("refused")))
        .isEqualTo(labels(Categories.NETWORK, Fault.SYSTEM));
  }
}
