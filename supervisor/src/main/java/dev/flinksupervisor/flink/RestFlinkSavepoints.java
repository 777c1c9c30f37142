package dev.flinksupervisor.flink;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.rest.handler.async.AsynchronousOperationResult;
import org.apache.flink.runtime.rest.messages.EmptyRequestBody;
import org.apache.flink.runtime.rest.messages.TriggerId;
import org.apache.flink.runtime.rest.messages.job.savepoints.SavepointInfo;
import org.apache.flink.runtime.rest.messages.job.savepoints.SavepointStatusHeaders;
import org.apache.flink.runtime.rest.messages.job.savepoints.SavepointStatusMessageParameters;
import org.apache.flink.runtime.rest.messages.job.savepoints.SavepointTriggerHeaders;
import org.apache.flink.runtime.rest.messages.job.savepoints.SavepointTriggerMessageParameters;
import org.apache.flink.runtime.rest.messages.job.savepoints.SavepointTriggerRequestBody;
import org.apache.flink.runtime.rest.messages.job.savepoints.stop.StopWithSavepointRequestBody;
import org.apache.flink.runtime.rest.messages.job.savepoints.stop.StopWithSavepointTriggerHeaders;
import org.apache.flink.runtime.rest.messages.queue.QueueStatus;
import org.apache.flink.runtime.rest.util.RestClientException;
import org.apache.flink.shaded.netty4.io.netty.handler.codec.http.HttpResponseStatus;
import org.apache.flink.util.ExceptionUtils;
import org.apache.flink.util.SerializedThrowable;

/** {@link FlinkSavepoints} over Flink's {@link RestClusterClient}, which follows the leader. */
public final class RestFlinkSavepoints implements FlinkSavepoints {
  private final RestClusterClient<StandaloneClusterId> client;
  private final Duration timeout;

  /** Reads savepoint metadata from its file system, off the caller's thread. */
  private final java.util.concurrent.Executor files =
      java.util.concurrent.Executors.newSingleThreadExecutor(
          new org.apache.flink.util.concurrent.ExecutorThreadFactory("savepoint-files"));

  public RestFlinkSavepoints(RestClusterClient<StandaloneClusterId> client, Duration timeout) {
    this.client = client;
    this.timeout = timeout;
  }

  @Override
  public CompletableFuture<Void> trigger(
      String jobId, String triggerId, String targetDirectory, Format format) {
    SavepointTriggerMessageParameters params = new SavepointTriggerMessageParameters();
    params.jobID.resolve(JobID.fromHexString(jobId));
    return bounded(
        client
            .sendRequest(
                SavepointTriggerHeaders.getInstance(),
                params,
                new SavepointTriggerRequestBody(
                    targetDirectory, false, formatOf(format), TriggerId.fromHexString(triggerId)))
            .thenApply(response -> null));
  }

  @Override
  public CompletableFuture<Void> stopWithSavepoint(
      String jobId, String triggerId, String targetDirectory, boolean drain, Format format) {
    SavepointTriggerMessageParameters params = new SavepointTriggerMessageParameters();
    params.jobID.resolve(JobID.fromHexString(jobId));
    return bounded(
        client
            .sendRequest(
                StopWithSavepointTriggerHeaders.getInstance(),
                params,
                new StopWithSavepointRequestBody(
                    targetDirectory, drain, formatOf(format), TriggerId.fromHexString(triggerId)))
            .thenApply(response -> null));
  }

  @Override
  public CompletableFuture<Status> status(String jobId, String triggerId) {
    SavepointStatusMessageParameters params = new SavepointStatusMessageParameters();
    params.jobIdPathParameter.resolve(JobID.fromHexString(jobId));
    params.triggerIdPathParameter.resolve(TriggerId.fromHexString(triggerId));
    return bounded(
        client
            .sendRequest(
                SavepointStatusHeaders.getInstance(), params, EmptyRequestBody.getInstance())
            .handle(
                (result, error) -> {
                  if (error != null) {
                    if (isNotFound(error)) {
                      return new Status(Phase.UNKNOWN, null, null);
                    }
                    throw new CompletionException(error);
                  }
                  return toStatus(result);
                }));
  }

  private static Status toStatus(AsynchronousOperationResult<SavepointInfo> result) {
    if (result.queueStatus().getId() != QueueStatus.Id.COMPLETED) {
      return new Status(Phase.IN_PROGRESS, null, null);
    }
    SavepointInfo info = result.resource();
    SerializedThrowable failure = info.getFailureCause();
    if (failure != null) {
      return new Status(Phase.FAILED, null, rootMessage(failure));
    }
    return new Status(Phase.COMPLETED, info.getLocation(), null);
  }

  private static String rootMessage(SerializedThrowable failure) {
    Throwable root = ExceptionUtils.stripCompletionException(failure);
    String message = root.getMessage();
    Throwable cause = root;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
      if (cause.getMessage() != null) {
        message = message + " Caused by: " + cause.getMessage();
      }
    }
    return message == null ? root.toString() : message;
  }

  private static boolean isNotFound(Throwable error) {
    return ExceptionUtils.findThrowable(error, RestClientException.class)
        .map(e -> e.getHttpResponseStatus().equals(HttpResponseStatus.NOT_FOUND))
        .orElse(false);
  }

  @Override
  public CompletableFuture<Void> cancel(String jobId) {
    return bounded(client.cancel(JobID.fromHexString(jobId)).thenApply(ack -> null));
  }

  @Override
  public CompletableFuture<Readable> readable(String path) {
    return CompletableFuture.supplyAsync(
            () -> {
              try {
                var location =
                    org.apache.flink.runtime.state.filesystem.AbstractFsCheckpointStorageAccess
                        .resolveCheckpointPointer(path);
                long id;
                try (java.io.DataInputStream in =
                    new java.io.DataInputStream(location.getMetadataHandle().openInputStream())) {
                  id =
                      org.apache.flink.runtime.checkpoint.Checkpoints.loadCheckpointMetadata(
                              in, RestFlinkSavepoints.class.getClassLoader(), path)
                          .getCheckpointId();
                }
                org.apache.flink.core.fs.Path metadata = location.getMetadataHandle().getFilePath();
                long written =
                    metadata.getFileSystem().getFileStatus(metadata).getModificationTime();
                return new Readable(
                    id, java.time.Instant.ofEpochMilli(written), location.getExternalPointer());
              } catch (java.io.IOException | RuntimeException e) {
                throw new CompletionException(e);
              }
            },
            files)
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public CompletableFuture<Void> dispose(String path) {
    return bounded(client.disposeSavepoint(path).thenApply(ack -> null));
  }

  private static SavepointFormatType formatOf(Format format) {
    return format == Format.NATIVE ? SavepointFormatType.NATIVE : SavepointFormatType.CANONICAL;
  }

  private <T> CompletableFuture<T> bounded(CompletableFuture<T> future) {
    return future.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
