package dev.flinksupervisor.testing;

import dev.flinksupervisor.flink.FlinkJobs;
import dev.flinksupervisor.slots.Capacity;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A {@link FlinkJobs} that records submissions and answers with a function field. */
public final class FakeFlinkJobs implements FlinkJobs {
  public volatile Function<Submission, CompletableFuture<Void>> submit =
      s -> CompletableFuture.completedFuture(null);
  public final List<Submission> submitted = new CopyOnWriteArrayList<>();
  public volatile Capacity capacity = new Capacity("default", List.of());
  public volatile Function<Submission, CompletableFuture<Void>> check =
      s -> CompletableFuture.completedFuture(null);
  public final List<Submission> checked = new CopyOnWriteArrayList<>();
  public final List<String> cancelled = new CopyOnWriteArrayList<>();
  public volatile Function<String, CompletableFuture<Void>> cancel =
      id -> CompletableFuture.completedFuture(null);

  @Override
  public CompletableFuture<Void> cancel(String jobId) {
    cancelled.add(jobId);
    return cancel.apply(jobId);
  }

  @Override
  public CompletableFuture<Void> check(Submission submission) {
    checked.add(submission);
    return check.apply(submission);
  }

  @Override
  public CompletableFuture<Capacity> capacity() {
    return CompletableFuture.completedFuture(capacity);
  }

  @Override
  public CompletableFuture<Void> submit(Submission submission) {
    submitted.add(submission);
    return submit.apply(submission);
  }
}
