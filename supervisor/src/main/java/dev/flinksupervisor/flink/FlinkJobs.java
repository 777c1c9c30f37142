package dev.flinksupervisor.flink;

import dev.flinksupervisor.slots.Capacity;
import dev.flinksupervisor.slots.SlotProfile;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Submits jobs to the leading JobManager, and cancels them. */
public interface FlinkJobs {
  /**
   * A submission that failed before anything was sent to the JobManager (the job graph could not be
   * built, or took too long): the JobManager cannot have it.
   */
  final class NotSent extends RuntimeException {
    public NotSent(Throwable cause) {
      super("Not sent to the JobManager: " + cause.getMessage(), cause);
    }
  }

  /**
   * What to run: a jar on the pod, its entry class and arguments.
   *
   * @param parallelism the default parallelism; null: the cluster's
   * @param restorePath a savepoint or retained checkpoint to start from; null: empty state
   * @param slotProfiles the profile of each slot-sharing group by its name ({@code default} for the
   *     group of operators that name none)
   */
  record Submission(
      String jobId,
      Path jar,
      String entryClass,
      List<String> args,
      Integer parallelism,
      String restorePath,
      boolean allowNonRestoredState,
      Map<String, SlotProfile> slotProfiles) {}

  /** The job has no slot-sharing group of a name that the profiles mapping uses. */
  final class UnknownSlotSharingGroup extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnknownSlotSharingGroup(String message) {
      super(message);
    }
  }

  /**
   * Builds the job graph with Flink's own client code ({@code PackagedProgram}) under the given job
   * id and submits it with the jar. Fails with Flink's message when the program cannot be built or
   * the JobManager refuses it.
   */
  CompletableFuture<Void> submit(Submission submission);

  /**
   * Builds the job graph as {@link #submit} would, profiles applied, without submitting it: fails
   * the same way when the program cannot be built or a profile names a group the job lacks.
   */
  CompletableFuture<Void> check(Submission submission);

  /** Cancels a run without a savepoint; completes once the JobManager acknowledged it. */
  CompletableFuture<Void> cancel(String jobId);

  /** The cluster's scheduler and its TaskManagers' total resources. */
  CompletableFuture<Capacity> capacity();
}
