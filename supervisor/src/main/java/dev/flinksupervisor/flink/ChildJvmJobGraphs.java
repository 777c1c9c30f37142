package dev.flinksupervisor.flink;

import dev.flinksupervisor.util.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the user's {@code main()} in a JVM of its own ({@link JobGraphMain}), with a heap limit and
 * a time limit, and reads the job graph it wrote: {@code System.exit}, an endless loop, an
 * out-of-memory error or a leak in user code ends or kills that JVM, never the sidecar. One child
 * runs at a time (heap {@code jobs.graph-builder-memory-mb}, metaspace 128 MiB, code cache 32 MiB),
 * so that builds never add up beyond the container's memory; others wait their turn. The child gets
 * the sidecar's classpath and environment without the sidecar's own {@code SUPERVISOR_*} variables;
 * its output goes to the sidecar's log at DEBUG, never into an error message.
 */
public final class ChildJvmJobGraphs implements JobGraphBuilder {
  private static final Logger LOG = LoggerFactory.getLogger(ChildJvmJobGraphs.class);
  private static final String OWN_VARIABLES = "SUPERVISOR_";

  private static final int METASPACE_MB = 128;

  private final Configuration flinkConfiguration;
  private final int heapMb;
  private final Duration timeout;
  private final java.util.concurrent.Semaphore building = new java.util.concurrent.Semaphore(1);

  public ChildJvmJobGraphs(Configuration flinkConfiguration, int heapMb, Duration timeout) {
    this.flinkConfiguration = flinkConfiguration;
    this.heapMb = heapMb;
    this.timeout = timeout;
  }

  @Override
  public JobGraph build(FlinkJobs.Submission submission) throws Exception {
    // One child at a time: each may use its whole heap, within the container's memory limit.
    building.acquire();
    Path dir = privateDirectory();
    try {
      return build(submission, dir);
    } finally {
      org.apache.flink.util.FileUtils.deleteDirectoryQuietly(dir.toFile());
      building.release();
    }
  }

  private JobGraph build(FlinkJobs.Submission submission, Path dir) throws Exception {
    Path requestFile = dir.resolve("request.json");
    Path graphFile = dir.resolve("job-graph.bin");
    Path failureFile = dir.resolve("failure.txt");
    Files.write(
        requestFile,
        Json.mapper().writeValueAsBytes(JobGraphMain.Request.of(submission, flinkConfiguration)));
    ProcessBuilder builder =
        new ProcessBuilder(command(requestFile, graphFile, failureFile))
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
    builder.environment().keySet().removeIf(name -> name.startsWith(OWN_VARIABLES));
    Process child = builder.start();
    AtomicBoolean outOfMemory = new AtomicBoolean();
    Thread output = drain(child.getInputStream(), submission.jobId(), outOfMemory);
    boolean ended;
    try {
      ended = child.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      child.destroyForcibly();
      Thread.currentThread().interrupt();
      throw e;
    }
    if (!ended) {
      child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new TimeoutException(
          "Building the job graph (the program's main()) took longer than "
              + timeout
              + " (jobs.graph-builder-timeout); its JVM was killed.");
    }
    output.join(TimeUnit.SECONDS.toMillis(5));
    int exit = child.exitValue();
    if (exit == 0 && Files.isRegularFile(graphFile)) {
      try (InputStream file = Files.newInputStream(graphFile);
          ObjectInputStream objects = new ObjectInputStream(file)) {
        // The file was written where user code ran: only Flink's and the JDK's classes are read.
        objects.setObjectInputFilter(ChildJvmJobGraphs::onlyFlinkAndJdk);
        Object graph = objects.readObject();
        if (!(graph instanceof JobGraph)) {
          throw new IllegalStateException("The job graph builder wrote no job graph.");
        }
        return (JobGraph) graph;
      }
    }
    if (exit == 2 && Files.isRegularFile(failureFile)) {
      String failure = Files.readString(failureFile, StandardCharsets.UTF_8);
      if (failure.startsWith(JobGraphMain.UNKNOWN_GROUP)) {
        throw new FlinkJobs.UnknownSlotSharingGroup(
            failure.substring(JobGraphMain.UNKNOWN_GROUP.length()));
      }
      throw new IllegalStateException("Building the job graph failed: " + failure);
    }
    if (outOfMemory.get()) {
      throw new IllegalStateException(
          "Building the job graph ran out of memory: the program's main() needs more than "
              + heapMb
              + " MiB of heap (jobs.graph-builder-memory-mb).");
    }
    throw new IllegalStateException(
        "The program's main() ended the JVM building its job graph with exit code "
            + exit
            + " before a graph was built (does it call System.exit?).");
  }

  private List<String> command(Path requestFile, Path graphFile, Path failureFile) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + heapMb + "m");
    command.add("-XX:MaxMetaspaceSize=" + METASPACE_MB + "m");
    command.add("-XX:ReservedCodeCacheSize=32m");
    command.add("-Xss1m");
    command.add("-XX:+UseSerialGC");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-XX:+ExitOnOutOfMemoryError");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(JobGraphMain.class.getName());
    command.add(requestFile.toString());
    command.add(graphFile.toString());
    command.add(failureFile.toString());
    return command;
  }

  /** Classes a job graph is made of: Flink's (shaded libraries included) and the JDK's. */
  private static ObjectInputFilter.Status onlyFlinkAndJdk(ObjectInputFilter.FilterInfo info) {
    Class<?> type = info.serialClass();
    while (type != null && type.isArray()) {
      type = type.getComponentType();
    }
    if (type == null || type.isPrimitive()) {
      return ObjectInputFilter.Status.UNDECIDED;
    }
    String name = type.getName();
    return name.startsWith("org.apache.flink.") || name.startsWith("java.")
        ? ObjectInputFilter.Status.ALLOWED
        : ObjectInputFilter.Status.REJECTED;
  }

  private static java.io.File nullDevice() {
    return new java.io.File(
        System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }

  /** The child's output, line by line, to the log at DEBUG; notes an out-of-memory error. */
  private static Thread drain(InputStream output, String jobId, AtomicBoolean outOfMemory) {
    Thread thread =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                  if (line.contains("OutOfMemoryError")) {
                    outOfMemory.set(true);
                  }
                  LOG.debug("[job graph of {}] {}", jobId, line);
                }
              } catch (IOException e) {
                LOG.debug("Reading the output of the job graph builder of {} failed", jobId, e);
              }
            },
            "job-graph-output");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static Path privateDirectory() throws IOException {
    try {
      return Files.createTempDirectory(
          "job-graph-",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (UnsupportedOperationException e) {
      return Files.createTempDirectory("job-graph-");
    }
  }
}
