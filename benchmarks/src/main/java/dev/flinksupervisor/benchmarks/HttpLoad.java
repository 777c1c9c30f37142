package dev.flinksupervisor.benchmarks;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Closed-loop HTTP load: a fixed number of workers, each sending the next request as soon as the
 * previous one is answered and its body read, for a fixed time.
 */
final class HttpLoad {
  private HttpLoad() {}

  /** What one or more runs measured: answers with status 200, other outcomes, latencies. */
  static final class Result {
    private long ok;
    private long errors;
    private long nanos;
    private long[] latencies = new long[0];
    private String lastError;

    void add(long ok, long errors, long nanos, long[] latencies, String lastError) {
      this.ok += ok;
      this.errors += errors;
      this.nanos += nanos;
      long[] all = Arrays.copyOf(this.latencies, this.latencies.length + latencies.length);
      System.arraycopy(latencies, 0, all, this.latencies.length, latencies.length);
      this.latencies = all;
      if (lastError != null) {
        this.lastError = lastError;
      }
    }

    double requestsPerSecond() {
      return ok / (nanos / 1e9);
    }

    long ok() {
      return ok;
    }

    long errors() {
      return errors;
    }

    String lastError() {
      return lastError;
    }

    /** Latencies of the answered requests in milliseconds. */
    Percentiles latencyMillis() {
      return Percentiles.of(Arrays.stream(latencies).mapToDouble(n -> n / 1e6).toArray());
    }
  }

  /**
   * Runs {@code workers} workers sending {@code request} for {@code duration}; adds to {@code
   * into}.
   */
  static void run(
      HttpClient client, HttpRequest request, int workers, Duration duration, Result into)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    try {
      long start = System.nanoTime();
      long end = start + duration.toNanos();
      List<Future<Worker>> futures = new ArrayList<>();
      for (int i = 0; i < workers; i++) {
        futures.add(pool.submit(() -> new Worker().run(client, request, end)));
      }
      long ok = 0;
      long errors = 0;
      String lastError = null;
      List<long[]> latencies = new ArrayList<>();
      for (Future<Worker> future : futures) {
        Worker w = future.get();
        ok += w.ok;
        errors += w.errors;
        lastError = w.lastError == null ? lastError : w.lastError;
        latencies.add(Arrays.copyOf(w.latencies, w.count));
      }
      long nanos = System.nanoTime() - start;
      long[] all = latencies.stream().flatMapToLong(Arrays::stream).toArray();
      into.add(ok, errors, nanos, all, lastError);
    } finally {
      pool.shutdownNow();
    }
  }

  private static final class Worker {
    long ok;
    long errors;
    String lastError;
    long[] latencies = new long[1 << 14];
    int count;

    Worker run(HttpClient client, HttpRequest request, long end) {
      while (System.nanoTime() - end < 0) {
        long start = System.nanoTime();
        try {
          HttpResponse<byte[]> response =
              client.send(request, HttpResponse.BodyHandlers.ofByteArray());
          long took = System.nanoTime() - start;
          if (response.statusCode() == 200) {
            ok++;
            if (count == latencies.length) {
              latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = took;
          } else {
            errors++;
            lastError = "HTTP " + response.statusCode();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return this;
        } catch (Exception e) {
          errors++;
          lastError = e.toString();
        }
      }
      return this;
    }
  }
}
