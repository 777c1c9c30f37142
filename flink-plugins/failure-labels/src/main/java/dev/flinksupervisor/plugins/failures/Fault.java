package dev.flinksupervisor.plugins.failures;

/** Who a failure is put down to: the value of the {@code type} label. */
public enum Fault {
  /** The job's code, its packaging or its data: fixing it needs a change to the job. */
  USER,
  /** The platform: Flink, the JVM, the network, Kafka, Kubernetes. */
  SYSTEM
}
