package dev.flinksupervisor.plugins.failures;

import static dev.flinksupervisor.plugins.failures.Categories.CHECKPOINT;
import static dev.flinksupervisor.plugins.failures.Categories.CLASS_NOT_FOUND;
import static dev.flinksupervisor.plugins.failures.Categories.KAFKA;
import static dev.flinksupervisor.plugins.failures.Categories.NETWORK;
import static dev.flinksupervisor.plugins.failures.Categories.OUT_OF_MEMORY;
import static dev.flinksupervisor.plugins.failures.Categories.SERIALIZATION;
import static dev.flinksupervisor.plugins.failures.Categories.TASK_MANAGER_LOST;
import static dev.flinksupervisor.plugins.failures.Categories.TIMEOUT;
import static dev.flinksupervisor.plugins.failures.Fault.SYSTEM;
import static dev.flinksupervisor.plugins.failures.Fault.USER;

import java.util.List;

/**
 * The built-in rules, in the order they are checked; the README's table lists them. Most are
 * written in the syntax of configured rules. The order puts the more telling cause first: memory
 * trouble explains whatever broke on the way; a class that cannot be loaded or a record that cannot
 * be read is the job's to fix, even when Kafka reports it; Kafka's own timeouts and network errors
 * are Kafka's; a lost TaskManager shows up as timeouts and closed connections, so it comes before
 * TIMEOUT and NETWORK.
 *
 * <p>Class names are listed one by one where a superclass would cover them, because a {@link
 * org.apache.flink.util.SerializedThrowable} carries its original class name but not the
 * superclasses.
 */
final class BuiltInRules {
  private BuiltInRules() {}

  static final List<Rule> ALL =
      List.of(
          rule(OUT_OF_MEMORY, SYSTEM, "class=java.lang.OutOfMemoryError"),
          rule(
              OUT_OF_MEMORY,
              SYSTEM,
              "message=Java heap space|Direct buffer memory|GC overhead limit exceeded"
                  + "|^Metaspace\\b|OutOfMemoryError"),
          // Kubernetes killed a TaskManager's container for going over its memory limit: the
          // resource manager's diagnostics of the terminated pod say so.
          rule(OUT_OF_MEMORY, SYSTEM, "message=\\breason=OOMKilled\\b"),
          rule(
              CLASS_NOT_FOUND,
              USER,
              "class=java.lang.ClassNotFoundException|java.lang.NoClassDefFoundError"
                  + "|java.lang.IncompatibleClassChangeError|java.lang.NoSuchMethodError"
                  + "|java.lang.NoSuchFieldError|java.lang.AbstractMethodError"
                  + "|java.lang.IllegalAccessError|java.lang.ClassFormatError"
                  + "|java.lang.UnsupportedClassVersionError|java.lang.UnsatisfiedLinkError"
                  + "|java.lang.VerifyError|java.lang.ClassCircularityError"),
          // Two copies of a class in different class loaders (job jar and Flink's lib/).
          rule(
              CLASS_NOT_FOUND,
              USER,
              "class=java.lang.LinkageError,message=loader constraint|duplicate class definition"),
          rule(
              SERIALIZATION,
              USER,
              "class=java.io.ObjectStreamException|java.io.NotSerializableException"
                  + "|java.io.InvalidClassException|java.io.StreamCorruptedException"
                  + "|java.io.InvalidObjectException|java.io.OptionalDataException"
                  + "|java.io.WriteAbortedException"),
          rule(
              SERIALIZATION,
              USER,
              "class=com.esotericsoftware.kryo.*|org.apache.flink.api.common.typeutils.*"
                  + "|org.apache.flink.api.java.typeutils.*"
                  + "|org.apache.flink.util.StateMigrationException"
                  + "|org.apache.flink.api.common.NonSerializableUserCodeException"),
          // A record Kafka's (de)serializers could not handle: the data's fault, not Kafka's.
          rule(
              SERIALIZATION,
              USER,
              "class=org.apache.kafka.common.errors.SerializationException"
                  + "|org.apache.kafka.common.errors.RecordDeserializationException"
                  + "|org.apache.flink.kafka.shaded.org.apache.kafka.common.errors"
                  + ".SerializationException"
                  + "|org.apache.flink.kafka.shaded.org.apache.kafka.common.errors"
                  + ".RecordDeserializationException"),
          rule(
              SERIALIZATION,
              USER,
              "class=org.apache.flink.*|java.io.IOException,message=(?i)serializ"),
          // flink-sql-connector-kafka relocates the Kafka client to org.apache.flink.kafka.shaded.
          rule(
              KAFKA,
              SYSTEM,
              "class=org.apache.kafka.*|org.apache.flink.connector.kafka.*"
                  + "|org.apache.flink.streaming.connectors.kafka.*"
                  + "|org.apache.flink.kafka.shaded.*"),
          rule(CHECKPOINT, SYSTEM, "class=org.apache.flink.runtime.checkpoint.CheckpointException"),
          rule(CHECKPOINT, SYSTEM, "message=Exceeded checkpoint tolerable failure threshold"),
          Rule.onTaskManagerFailure(new Labels(TASK_MANAGER_LOST, SYSTEM)),
          // What the JobMaster reports when it stops hearing from a TaskManager.
          rule(
              TASK_MANAGER_LOST,
              SYSTEM,
              "class=java.util.concurrent.TimeoutException"
                  + ",message=^Heartbeat of TaskManager with id .* timed out"),
          // JobMaster: "TaskManager with id ... is no longer reachable."; a task whose peer went
          // away: "Connection unexpectedly closed by remote task manager ... the remote task
          // manager was lost"; a TaskManager stopped by its pod's SIGTERM.
          rule(
              TASK_MANAGER_LOST,
              SYSTEM,
              "class=org.apache.flink.*,message=(?i)task ?manager\\b.*\\b(no longer reachable"
                  + "|lost|disconnected)|lost connection to task ?manager"
                  + "|TaskExecutor is shutting down"),
          // The resource manager's diagnostics of a terminated TaskManager pod.
          rule(
              TASK_MANAGER_LOST, SYSTEM, "message=^Pod terminated, container termination statuses"),
          rule(
              TIMEOUT,
              SYSTEM,
              "class=java.util.concurrent.TimeoutException|java.net.SocketTimeoutException"
                  + "|org.apache.pekko.pattern.AskTimeoutException|akka.pattern.AskTimeoutException"),
          rule(TIMEOUT, SYSTEM, "class=org.apache.flink.*,message=(?i)\\btimed out\\b"),
          rule(
              NETWORK,
              SYSTEM,
              "class=java.net.SocketException|java.net.ConnectException"
                  + "|java.net.NoRouteToHostException|java.net.UnknownHostException"
                  + "|java.nio.channels.ClosedChannelException"
                  + "|org.apache.flink.runtime.io.network.*|org.apache.flink.shaded.netty4.*"
                  + "|org.apache.flink.runtime.rpc.exceptions.RecipientUnreachableException"));

  /** Checked after all others, whether the built-in rules are on or not. */
  static final Rule USER_CODE = Rule.thrownInUserCode(new Labels(Categories.USER_CODE, Fault.USER));

  private static Rule rule(String category, Fault fault, String conditions) {
    return Rule.parse("category=" + category + ",type=" + fault + "," + conditions);
  }
}
