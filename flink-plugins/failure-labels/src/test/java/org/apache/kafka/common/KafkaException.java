package org.apache.kafka.common;

/** Test stand-in named like Kafka's class: the failure labels match classes by name. */
public class KafkaException extends RuntimeException {
  public KafkaException(String message) {
    super(message);
  }
}
