package dev.flinksupervisor.plugins.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ServiceLoader;
import org.apache.flink.events.reporter.EventReporterFactory;
import org.junit.jupiter.api.Test;

class ServiceFileTest {

  @Test
  void the_service_file_names_the_factory() throws IOException {
    String resource = "META-INF/services/" + EventReporterFactory.class.getName();
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8).strip())
          .isEqualTo(SupervisorEventReporterFactory.class.getName());
    }
  }

  @Test
  void flink_finds_the_factory_with_the_service_loader() {
    assertThat(ServiceLoader.load(EventReporterFactory.class))
        .anySatisfy(
            factory -> assertThat(factory).isInstanceOf(SupervisorEventReporterFactory.class));
  }
}
