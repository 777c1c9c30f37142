package org.apache.flink.runtime.io.network.netty.exception;

import java.io.IOException;

/**
 * Test stand-in named like Flink's class (flink-runtime is not a dependency): the failure labels
 * match classes by name.
 */
public class RemoteTransportException extends IOException {
  public RemoteTransportException(String message) {
    super(message);
  }
}
