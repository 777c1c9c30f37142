package dev.flinksupervisor.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free TCP ports for processes that must be told their port in advance. They are taken below
 * Linux's ephemeral range (32768 and up), so that no socket bound to port 0 meanwhile, such as a
 * Flink blob server or TaskManager, can take one between the check and the bind; and a port is
 * handed out once per JVM, so that two processes told their ports in advance never share one.
 */
public final class Ports {
  private static final int LOW = 20_000;
  private static final int HIGH = 32_000;

  private static final java.util.Set<Integer> HANDED_OUT =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  private Ports() {}

  public static int free() {
    for (int attempt = 0; attempt < 1000; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(LOW, HIGH);
      if (!HANDED_OUT.add(port)) {
        continue;
      }
      try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        return socket.getLocalPort();
      } catch (IOException taken) {
        // try another one
      }
    }
    throw new IllegalStateException("No free port between " + LOW + " and " + HIGH);
  }
}
