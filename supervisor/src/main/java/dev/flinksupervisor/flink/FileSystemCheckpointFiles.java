package dev.flinksupervisor.flink;

import dev.flinksupervisor.util.BoundedCall;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.util.concurrent.ExecutorThreadFactory;

/**
 * Lists a job's checkpoint directory with Flink's own {@link FileSystem}, the file systems the
 * sidecar reads Flink's HA storage with: a checkpoint is complete once its {@code _metadata} file
 * exists. Each listing runs on a thread of its own and is given up after the timeout.
 */
public final class FileSystemCheckpointFiles implements CheckpointFiles, AutoCloseable {
  private static final String CHECKPOINT_DIRECTORY_PREFIX = "chk-";
  private static final String METADATA = "_metadata";

  private final Duration timeout;
  private final ExecutorService reader =
      Executors.newSingleThreadExecutor(new ExecutorThreadFactory("checkpoint-files"));

  public FileSystemCheckpointFiles(Duration timeout) {
    this.timeout = timeout;
  }

  @Override
  public Optional<CheckpointInfo> newestBeside(CheckpointInfo known, long writtenBefore)
      throws Exception {
    if (known.externalPath() == null
        || !new Path(known.externalPath()).getName().startsWith(CHECKPOINT_DIRECTORY_PREFIX)) {
      return Optional.empty();
    }
    return BoundedCall.call(
        reader,
        () -> list(known, writtenBefore),
        timeout,
        "Listing the checkpoints beside " + known.externalPath());
  }

  private static Optional<CheckpointInfo> list(CheckpointInfo known, long writtenBefore)
      throws IOException {
    Path jobDirectory = new Path(known.externalPath()).getParent();
    FileSystem fs = jobDirectory.getFileSystem();
    FileStatus[] entries = fs.listStatus(jobDirectory);
    CheckpointInfo best = null;
    for (FileStatus entry : entries == null ? new FileStatus[0] : entries) {
      long id = idOf(entry);
      if (id < known.id() || (best != null && id <= best.id())) {
        continue;
      }
      Path metadata = new Path(entry.getPath(), METADATA);
      if (!fs.exists(metadata)) {
        continue;
      }
      long written = fs.getFileStatus(metadata).getModificationTime();
      if (written < writtenBefore) {
        best = new CheckpointInfo(id, written, false, entry.getPath().toString());
      }
    }
    return Optional.ofNullable(best);
  }

  /** The id of a {@code chk-N} directory, -1 for anything else. */
  private static long idOf(FileStatus entry) {
    String name = entry.getPath().getName();
    if (!entry.isDir() || !name.startsWith(CHECKPOINT_DIRECTORY_PREFIX)) {
      return -1;
    }
    try {
      return Long.parseLong(name.substring(CHECKPOINT_DIRECTORY_PREFIX.length()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  @Override
  public void close() {
    reader.shutdownNow();
  }
}
