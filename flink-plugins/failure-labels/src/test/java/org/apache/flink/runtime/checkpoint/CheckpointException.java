package org.apache.flink.runtime.checkpoint;

/**
 * Test stand-in named like Flink's class (flink-runtime is not a dependency): the failure labels
 * match classes by name.
 */
public class CheckpointException extends Exception {
  public CheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}
