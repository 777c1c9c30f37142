package dev.flinksupervisor.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finds the newest complete checkpoint in a job's checkpoint directory on a real file system. */
class FileSystemCheckpointFilesTest {
  private static final long BEFORE = 1_800_000_000_000L;

  @TempDir Path checkpoints;

  private Path checkpoint(int id, boolean complete, long writtenAt) throws Exception {
    Path dir = Files.createDirectories(checkpoints.resolve("chk-" + id));
    if (complete) {
      Path metadata = Files.writeString(dir.resolve("_metadata"), "metadata of " + id);
      Files.setLastModifiedTime(metadata, FileTime.fromMillis(writtenAt));
    }
    return dir;
  }

  @Test
  void the_newest_complete_checkpoint_written_before_the_time_given_wins() throws Exception {
    Path known = checkpoint(5, true, BEFORE - 5_000);
    checkpoint(3, true, BEFORE - 9_000);
    checkpoint(7, true, BEFORE - 2_000);
    checkpoint(8, false, 0); // in progress: no _metadata yet
    checkpoint(9, true, BEFORE + 1_000); // written by the run that went back
    Files.createDirectories(checkpoints.resolve("shared"));
    Files.createDirectories(checkpoints.resolve("chk-x"));

    try (FileSystemCheckpointFiles files = new FileSystemCheckpointFiles(Duration.ofSeconds(10))) {
      CheckpointInfo newest =
          files
              .newestBeside(
                  new CheckpointInfo(5, BEFORE - 5_000, false, known.toUri().toString()), BEFORE)
              .orElseThrow();

      assertThat(newest.id()).isEqualTo(7);
      assertThat(newest.completedAt()).isEqualTo(BEFORE - 2_000);
      assertThat(newest.externalPath()).endsWith("/chk-7");
      assertThat(
              files.newestBeside(
                  new CheckpointInfo(
                      10, BEFORE, false, checkpoints.resolve("chk-10").toUri().toString()),
                  BEFORE))
          .as("nothing at or above the id known")
          .isEmpty();
      assertThat(files.newestBeside(new CheckpointInfo(5, 1, true, "file:/sp/savepoint-x"), BEFORE))
          .as("a savepoint's directory is not a job's checkpoint directory")
          .isEmpty();
    }
  }
}
