package org.apache.kafka.common.errors;

import org.apache.kafka.common.KafkaException;

/** Test stand-in named like Kafka's class: the failure labels match classes by name. */
public class TimeoutException extends KafkaException {
  public TimeoutException(String message) {
    super(message);
  }
}
