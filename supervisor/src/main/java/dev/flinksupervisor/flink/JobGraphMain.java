package dev.flinksupervisor.flink;

import dev.flinksupervisor.slots.SlotProfile;
import dev.flinksupervisor.util.Failures;
import dev.flinksupervisor.util.Json;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.jobgraph.JobGraph;

/**
 * The entry point of the JVM that builds one job graph ({@link ChildJvmJobGraphs}): reads the
 * request as JSON from the first argument's file, runs the program's {@code main()} through Flink's
 * client code, and writes the serialized job graph to the second argument's file, or why it failed
 * to the third's. Its exit code is 0 with a graph, 2 with a failure written; anything else means
 * the program ended the JVM itself.
 */
public final class JobGraphMain {
  /** Written before the message of a failure when a slot profile names a group the job lacks. */
  static final String UNKNOWN_GROUP = "UNKNOWN_SLOT_SHARING_GROUP\n";

  /** What to build, as the sidecar sends it. */
  record Request(
      String jobId,
      String jar,
      String entryClass,
      List<String> args,
      Integer parallelism,
      String restorePath,
      boolean allowNonRestoredState,
      Map<String, SlotProfile> slotProfiles,
      Map<String, String> flinkConfiguration) {

    static Request of(FlinkJobs.Submission s, Configuration flinkConfiguration) {
      return new Request(
          s.jobId(),
          s.jar().toString(),
          s.entryClass(),
          s.args(),
          s.parallelism(),
          s.restorePath(),
          s.allowNonRestoredState(),
          s.slotProfiles(),
          flinkConfiguration.toMap());
    }

    FlinkJobs.Submission submission() {
      return new FlinkJobs.Submission(
          jobId,
          Path.of(jar),
          entryClass,
          args == null ? List.of() : args,
          parallelism,
          restorePath,
          allowNonRestoredState,
          slotProfiles == null ? Map.of() : slotProfiles);
    }
  }

  private JobGraphMain() {}

  public static void main(String[] args) throws Exception {
    Path requestFile = Path.of(args[0]);
    Path graphFile = Path.of(args[1]);
    Path failureFile = Path.of(args[2]);
    try {
      Request request = Json.mapper().readValue(Files.readAllBytes(requestFile), Request.class);
      JobGraph graph =
          new InProcessJobGraphs(Configuration.fromMap(request.flinkConfiguration()))
              .build(request.submission());
      try (OutputStream out = Files.newOutputStream(graphFile);
          ObjectOutputStream objects = new ObjectOutputStream(out)) {
        objects.writeObject(graph);
      }
      Runtime.getRuntime().halt(0); // threads the program left behind do not keep this JVM
    } catch (FlinkJobs.UnknownSlotSharingGroup e) {
      Files.writeString(failureFile, UNKNOWN_GROUP + e.getMessage(), StandardCharsets.UTF_8);
      Runtime.getRuntime().halt(2);
    } catch (Throwable e) {
      // Whatever main() threw (an OutOfMemoryError ends the JVM first, by its flags), and
      // whatever threads it left: this JVM ends now.
      Files.writeString(failureFile, Failures.messageChain(e), StandardCharsets.UTF_8);
      Runtime.getRuntime().halt(2);
    }
  }
}
