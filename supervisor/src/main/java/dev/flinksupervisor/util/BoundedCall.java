package dev.flinksupervisor.util;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A blocking call run on a thread of its own and given up after a timeout: a hung remote file
 * system or API never holds the caller longer than that.
 */
public final class BoundedCall {
  private BoundedCall() {}

  /**
   * Runs {@code call} on {@code executor} and waits at most {@code timeout} for it.
   *
   * @param what what the call does, for the timeout's message
   * @throws TimeoutException when it took longer (the call is then interrupted)
   */
  public static <T> T call(
      ExecutorService executor, Callable<T> call, Duration timeout, String what) throws Exception {
    Future<T> future = executor.submit(call);
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new TimeoutException(what + " took longer than " + timeout);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }
}
