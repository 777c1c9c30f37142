package dev.flinksupervisor.testing;

import dev.flinksupervisor.flink.FlinkSavepoints;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.Function;

/** A {@link FlinkSavepoints} whose answers are function fields; it records every call. */
public final class FakeFlinkSavepoints implements FlinkSavepoints {
  public volatile BiFunction<String, String, CompletableFuture<Void>> trigger =
      (job, trigger) -> CompletableFuture.completedFuture(null);
  public volatile BiFunction<String, String, CompletableFuture<Status>> status =
      (job, trigger) ->
          CompletableFuture.completedFuture(
              new Status(Phase.COMPLETED, "file:/savepoints/savepoint-" + trigger, null));
  public volatile Function<String, CompletableFuture<Void>> cancel =
      job -> CompletableFuture.completedFuture(null);
  public volatile Function<String, CompletableFuture<Void>> dispose =
      path -> CompletableFuture.completedFuture(null);

  /** Every call as "method jobOrPath trigger". */
  public final List<String> calls = new CopyOnWriteArrayList<>();

  /** Every call with every argument it was given. */
  public record Call(
      String method,
      String jobOrPath,
      String triggerId,
      String targetDirectory,
      Format format,
      boolean drain) {}

  public final List<Call> received = new CopyOnWriteArrayList<>();

  @Override
  public CompletableFuture<Void> trigger(
      String jobId, String triggerId, String targetDirectory, Format format) {
    calls.add("trigger " + jobId + " " + triggerId);
    received.add(new Call("trigger", jobId, triggerId, targetDirectory, format, false));
    return trigger.apply(jobId, triggerId);
  }

  @Override
  public CompletableFuture<Void> stopWithSavepoint(
      String jobId, String triggerId, String targetDirectory, boolean drain, Format format) {
    calls.add("stop " + jobId + " " + triggerId);
    received.add(new Call("stop", jobId, triggerId, targetDirectory, format, drain));
    return trigger.apply(jobId, triggerId);
  }

  @Override
  public CompletableFuture<Status> status(String jobId, String triggerId) {
    calls.add("status " + jobId + " " + triggerId);
    received.add(new Call("status", jobId, triggerId, null, null, false));
    return status.apply(jobId, triggerId);
  }

  @Override
  public CompletableFuture<Void> cancel(String jobId) {
    calls.add("cancel " + jobId);
    received.add(new Call("cancel", jobId, null, null, null, false));
    return cancel.apply(jobId);
  }

  @Override
  public CompletableFuture<Void> dispose(String path) {
    calls.add("dispose " + path);
    received.add(new Call("dispose", path, null, null, null, false));
    return dispose.apply(path);
  }

  public long count(String method) {
    return calls.stream().filter(c -> c.startsWith(method + " ")).count();
  }

  /** What {@link #readable} answers, by path; unknown paths fail as unreadable. */
  public final java.util.Map<String, Readable> readablePaths =
      new java.util.concurrent.ConcurrentHashMap<>();

  @Override
  public CompletableFuture<Readable> readable(String path) {
    Readable id = readablePaths.get(path);
    return id != null
        ? CompletableFuture.completedFuture(id)
        : CompletableFuture.failedFuture(
            new java.io.FileNotFoundException("Cannot find meta data file '_metadata' in " + path));
  }
}
