package dev.flinksupervisor.e2e;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/** A Kafka broker in a container (Testcontainers' Kafka module), where a container engine runs. */
final class ContainerKafka implements TestKafka {
  static final String IMAGE = "apache/kafka:4.1.0";

  private final KafkaContainer container;

  private ContainerKafka(KafkaContainer container) {
    this.container = container;
  }

  /** Whether a container engine answers; false quickly where none runs. */
  static boolean available() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (Throwable e) {
      return false;
    }
  }

  static ContainerKafka start() {
    KafkaContainer container = new KafkaContainer(IMAGE);
    TestKafka.brokerSettings()
        .forEach(
            (key, value) ->
                container.withEnv("KAFKA_" + key.toUpperCase().replace('.', '_'), value));
    container.start();
    return new ContainerKafka(container);
  }

  @Override
  public String bootstrapServers() {
    return container.getBootstrapServers();
  }

  @Override
  public String kind() {
    return "a container of " + IMAGE + " (Testcontainers)";
  }

  @Override
  public void close() {
    container.stop();
  }
}
