package dev.flinksupervisor.plugins.failures;

import static dev.flinksupervisor.plugins.failures.Failures.thrownByFlink;
import static dev.flinksupervisor.plugins.failures.Failures.thrownIn;
import static org.assertj.core.api.Assertions.assertThat;

import com.esotericsoftware.kryo.KryoException;
import java.io.IOException;
import java.io.NotSerializableException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.InvalidProgramException;
import org.apache.flink.core.failure.FailureEnricher.Context.FailureType;
import org.apache.flink.runtime.checkpoint.CheckpointException;
import org.apache.flink.runtime.io.network.netty.exception.RemoteTransportException;
import org.apache.flink.util.FlinkException;
import org.apache.flink.util.FlinkExpectedException;
import org.apache.flink.util.FlinkRuntimeException;
import org.apache.flink.util.SerializedThrowable;
import org.apache.flink.util.StateMigrationException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RulesTest {
  private static final Rules BUILT_IN = Rules.of(List.of(), true);

  private static Labels classify(Throwable failure) {
    return BUILT_IN.classify(failure, FailureType.TASK);
  }

  private static Labels labels(String category, Fault fault) {
    return new Labels(category, fault);
  }

  /** A failure the job's code threw, in a class of its own. */
  static final class InvalidOrderException extends RuntimeException {
    InvalidOrderException(String message) {
      super(message);
    }
  }

  @Nested
  class BuiltIn {

    @Test
    void come_in_the_documented_order() {
      List<String> order =
          List.of(
              Categories.OUT_OF_MEMORY,
              Categories.CLASS_NOT_FOUND,
              Categories.SERIALIZATION,
              Categories.KAFKA,
              Categories.CHECKPOINT,
              Categories.TASK_MANAGER_LOST,
              Categories.TIMEOUT,
              Categories.NETWORK);

      assertThat(BuiltInRules.ALL)
          .extracting(rule -> rule.labels().category())
          .containsOnly(order.toArray(String[]::new))
          .isSortedAccordingTo(Comparator.comparingInt(order::indexOf));
      assertThat(Rules.of(List.of(), true).asList()).last().isSameAs(BuiltInRules.USER_CODE);
    }

    @Test
    void out_of_memory() {
      assertThat(
              classify(
                  new FlinkRuntimeException(
                      "Could not process record", new OutOfMemoryError("Java heap space"))))
          .isEqualTo(labels(Categories.OUT_OF_MEMORY, Fault.SYSTEM));
      assertThat(classify(new OutOfMemoryError("Metaspace")))
          .isEqualTo(labels(Categories.OUT_OF_MEMORY, Fault.SYSTEM));
    }

    @Test
    void out_of_memory_from_a_message_alone() {
      assertThat(classify(thrownByFlink(new IOException("Direct buffer memory"))))
          .isEqualTo(labels(Categories.OUT_OF_MEMORY, Fault.SYSTEM));
    }

    @Test
    void task_manager_pod_killed_for_memory_is_out_of_memory() {
      Exception podTerminated =
          new Exception(
              "Pod terminated, container termination statuses: [flink-main-container(exitCode=137,"
                  + " reason=OOMKilled, message=null)]");

      assertThat(classify(new FlinkException("Slot released", podTerminated)))
          .isEqualTo(labels(Categories.OUT_OF_MEMORY, Fault.SYSTEM));
    }

    @Test
    void class_not_found() {
      assertThat(
              classify(
                  new FlinkException(
                      "Cannot load user class: com.example.OrderMapper",
                      new ClassNotFoundException("com.example.OrderMapper"))))
          .isEqualTo(labels(Categories.CLASS_NOT_FOUND, Fault.USER));
      assertThat(classify(new NoSuchMethodError("'void com.google.common.base.Preconditions.x()'")))
          .isEqualTo(labels(Categories.CLASS_NOT_FOUND, Fault.USER));
      assertThat(classify(new NoClassDefFoundError("org/apache/avro/Schema")))
          .isEqualTo(labels(Categories.CLASS_NOT_FOUND, Fault.USER));
      assertThat(
              classify(
                  new LinkageError(
                      "loader constraint violation: when resolving method 'x' the class loader"
                          + " org.apache.flink.util.ChildFirstClassLoader @1 of the current class")))
          .isEqualTo(labels(Categories.CLASS_NOT_FOUND, Fault.USER));
    }

    @Test
    void class_not_found_wins_over_kafka() {
      Throwable failure =
          new org.apache.kafka.common.KafkaException("Failed to construct kafka consumer");
      failure.initCause(new ClassNotFoundException("com.example.OrderDeserializer"));

      assertThat(classify(failure)).isEqualTo(labels(Categories.CLASS_NOT_FOUND, Fault.USER));
    }

    @Test
    void serialization() {
      assertThat(
              classify(
                  new InvalidProgramException(
                      "The implementation of the MapFunction is not serializable.",
                      new NotSerializableException("com.example.OrderMapper"))))
          .isEqualTo(labels(Categories.SERIALIZATION, Fault.USER));
      assertThat(classify(new KryoException("Encountered unregistered class ID: 13994")))
          .isEqualTo(labels(Categories.SERIALIZATION, Fault.USER));
      assertThat(
              classify(
                  new StateMigrationException(
                      "The new state serializer must not be incompatible with the old one.")))
          .isEqualTo(labels(Categories.SERIALIZATION, Fault.USER));
      assertThat(classify(thrownByFlink(new IOException("Failed to deserialize JSON '{'."))))
          .isEqualTo(labels(Categories.SERIALIZATION, Fault.USER));
      assertThat(
              classify(thrownByFlink(new FlinkRuntimeException("Could not serialize the record"))))
          .isEqualTo(labels(Categories.SERIALIZATION, Fault.USER));
    }

    @Test
    void a_record_kafka_cannot_deserialize_is_serialization() {
      assertThat(
              classify(
                  new org.apache.kafka.common.errors.SerializationException(
                      "Error deserializing Avro message for id 5")))
          .isEqualTo(labels(Categories.SERIALIZATION, Fault.USER));
    }

    @Test
    void a_kafka_timeout_is_kafka() {
      assertThat(
              classify(
                  new FlinkRuntimeException(
                      "Failed to send data to Kafka",
                      new org.apache.kafka.common.errors.TimeoutException(
                          "Expiring 5 record(s) for orders-0: 120001 ms has passed"))))
          .isEqualTo(labels(Categories.KAFKA, Fault.SYSTEM));
    }

    @Test
    void checkpoint() {
      assertThat(
              classify(
                  new FlinkRuntimeException(
                      "Exceeded checkpoint tolerable failure threshold. The latest checkpoint"
                          + " failed due to Checkpoint expired before completing.")))
          .isEqualTo(labels(Categories.CHECKPOINT, Fault.SYSTEM));
      assertThat(
              classify(
                  new CheckpointException(
                      "Asynchronous task checkpoint failed.",
                      new TimeoutException("Upload timed out"))))
          .isEqualTo(labels(Categories.CHECKPOINT, Fault.SYSTEM));
    }

    @Test
    void task_manager_lost_by_heartbeat() {
      assertThat(
              classify(
                  new FlinkException(
                      "Slot released",
                      new TimeoutException(
                          "Heartbeat of TaskManager with id flink-taskmanager-1-3 timed out."))))
          .isEqualTo(labels(Categories.TASK_MANAGER_LOST, Fault.SYSTEM));
    }

    @Test
    void task_manager_lost_as_flink_reports_it() {
      assertThat(
              classify(
                  new FlinkException(
                      "TaskManager with id flink-taskmanager-1-3 is no longer reachable.")))
          .isEqualTo(labels(Categories.TASK_MANAGER_LOST, Fault.SYSTEM));
      assertThat(classify(new FlinkExpectedException("The TaskExecutor is shutting down.")))
          .isEqualTo(labels(Categories.TASK_MANAGER_LOST, Fault.SYSTEM));
      assertThat(
              classify(
                  new Exception(
                      "Pod terminated, container termination statuses:"
                          + " [flink-main-container(exitCode=143, reason=Error, message=null)]")))
          .isEqualTo(labels(Categories.TASK_MANAGER_LOST, Fault.SYSTEM));
    }

    @Test
    void a_peer_task_manager_gone_is_task_manager_lost() {
      assertThat(
              classify(
                  new RemoteTransportException(
                      "Connection unexpectedly closed by remote task manager"
                          + " '10.0.0.7/10.0.0.7:6121 [ flink-taskmanager-1-2 ]'. This might"
                          + " indicate that the remote task manager was lost.")))
          .isEqualTo(labels(Categories.TASK_MANAGER_LOST, Fault.SYSTEM));
    }

    @Test
    void a_task_manager_failure_as_flink_types_it() {
      assertThat(
              BUILT_IN.classify(
                  thrownByFlink(new IllegalStateException("x")), FailureType.TASK_MANAGER))
          .isEqualTo(labels(Categories.TASK_MANAGER_LOST, Fault.SYSTEM));
    }

    @Test
    void timeout() {
      assertThat(
              classify(
                  new TimeoutException(
                      "Invocation of [RemoteRpcInvocation(TaskExecutorGateway.submitTask())] at"
                          + " recipient [pekko.tcp://flink@10.0.0.7:6122/user/rpc/taskmanager_0]"
                          + " timed out.")))
          .isEqualTo(labels(Categories.TIMEOUT, Fault.SYSTEM));
      assertThat(
              classify(
                  thrownByFlink(
                      new IOException(
                          "Read failed", new SocketTimeoutException("Read timed out")))))
          .isEqualTo(labels(Categories.TIMEOUT, Fault.SYSTEM));
    }

    @Test
    void network() {
      assertThat(
              classify(
                  new IOException("Cannot connect", new ConnectException("Connection refused"))))
          .isEqualTo(labels(Categories.NETWORK, Fault.SYSTEM));
      assertThat(classify(new UnknownHostException("kafka-0.kafka")))
          .isEqualTo(labels(Categories.NETWORK, Fault.SYSTEM));
      assertThat(
              classify(
                  new RemoteTransportException(
                      "Error at remote task manager '10.0.0.7/10.0.0.7:6121 [ tm-2 ]'.")))
          .isEqualTo(labels(Categories.NETWORK, Fault.SYSTEM));
    }

    @Test
    void a_class_of_the_job_is_user_code() {
      assertThat(
              classify(
                  thrownByFlink(
                      new FlinkRuntimeException(
                          "Could not forward element",
                          thrownByFlink(new InvalidOrderException("order 7 has no lines"))))))
          .isEqualTo(labels(Categories.USER_CODE, Fault.USER));
    }

    @Test
    void thrown_by_the_job_is_user_code() {
      NullPointerException npe =
          thrownIn(
              new NullPointerException(),
              "com.example.OrderMapper",
              "org.apache.flink.streaming.api.operators.StreamMap",
              "org.apache.flink.runtime.taskmanager.Task");

      assertThat(classify(npe)).isEqualTo(labels(Categories.USER_CODE, Fault.USER));
    }

    @Test
    void thrown_in_the_jdk_on_behalf_of_the_job_is_user_code() {
      NumberFormatException failure =
          thrownIn(
              new NumberFormatException("For input string: \"x\""),
              "java.lang.NumberFormatException",
              "java.lang.Integer",
              "com.example.OrderMapper",
              "org.apache.flink.streaming.api.operators.StreamMap");

      assertThat(classify(thrownByFlink(new FlinkRuntimeException("wrapped", failure))))
          .isEqualTo(labels(Categories.USER_CODE, Fault.USER));
    }

    @Test
    void thrown_in_the_jdk_on_behalf_of_flink_is_unknown() {
      IllegalStateException failure =
          thrownIn(
              new IllegalStateException("Queue full"),
              "java.util.AbstractQueue",
              "org.apache.flink.runtime.io.network.buffer.LocalBufferPool");

      assertThat(classify(failure)).isEqualTo(Labels.UNKNOWN);
    }

    @Test
    void thrown_by_flink_is_unknown() {
      assertThat(classify(thrownByFlink(new IllegalStateException("Unexpected state"))))
          .isEqualTo(Labels.UNKNOWN);
    }

    @Test
    void no_stack_trace_and_platform_classes_is_unknown() {
      assertThat(classify(thrownIn(new IllegalStateException("x")))).isEqualTo(Labels.UNKNOWN);
    }

    @Test
    void no_failure_is_unknown() {
      assertThat(BUILT_IN.classify(null, null)).isEqualTo(Labels.UNKNOWN);
    }
  }

  @Nested
  class Configured {

    @Test
    void come_before_the_built_in_rules() {
      Rules rules =
          Rules.of(
              List.of(
                  Rule.parse(
                      "category=BROKER_TIMEOUT,class=org.apache.kafka.common.errors.TimeoutException")),
              true);

      assertThat(
              rules.classify(
                  new RuntimeException(
                      "x", new org.apache.kafka.common.errors.TimeoutException("Expiring")),
                  FailureType.TASK))
          .isEqualTo(labels("BROKER_TIMEOUT", Fault.SYSTEM));
      assertThat(
              rules.classify(new org.apache.kafka.common.KafkaException("other"), FailureType.TASK))
          .isEqualTo(labels(Categories.KAFKA, Fault.SYSTEM));
    }

    @Test
    void a_regex_that_backtracks_without_end_is_abandoned_as_no_match() {
      Rules rules = Rules.of(List.of(Rule.parse("category=SLOW,message=(.*a){3}x")), false);
      String message = "a".repeat(2000); // no 'x': every way to split 2000 a's in three is tried

      long abandonedBefore = Chain.ABANDONED.get();
      // Without the budget this search would run for hours; it is abandoned after 10 ms.
      Labels labels = rules.classify(new IllegalStateException(message), FailureType.TASK);

      assertThat(labels.category()).isNotEqualTo("SLOW");
      assertThat(Chain.ABANDONED.get()).isGreaterThan(abandonedBefore);
    }

    @Test
    void are_checked_in_order() {
      Rules rules =
          Rules.of(
              List.of(
                  Rule.parse("category=FIRST,message=quota"),
                  Rule.parse("category=SECOND,message=quota exceeded")),
              true);

      assertThat(rules.classify(new RuntimeException("quota exceeded"), null).category())
          .isEqualTo("FIRST");
    }

    @Test
    void built_ins_off_leaves_user_code_and_unknown() {
      Rules rules = Rules.of(List.of(Rule.parse("category=QUOTA,message=(?i)quota")), false);

      assertThat(rules.classify(thrownByFlink(new IOException("Quota exceeded")), null))
          .isEqualTo(labels("QUOTA", Fault.SYSTEM));
      assertThat(rules.classify(thrownByFlink(new ConnectException("refused")), null))
          .isEqualTo(Labels.UNKNOWN);
      assertThat(rules.classify(new InvalidOrderException("x"), null))
          .isEqualTo(labels(Categories.USER_CODE, Fault.USER));
      assertThat(
              rules.classify(
                  thrownIn(
                      new org.apache.kafka.common.errors.TimeoutException("Expiring"),
                      "org.apache.kafka.clients.producer.internals.Sender",
                      "java.lang.Thread"),
                  null))
          .isEqualTo(Labels.UNKNOWN);
      assertThat(rules.asList()).hasSize(2);
    }

    @Test
    void a_malformed_rule_is_skipped_and_the_others_kept() {
      Rules.Parsed parsed =
          Rules.parse(
              List.of(
                  "category=QUOTA,message=(?i)quota exceeded",
                  "category=schema,class=io.confluent.*",
                  "category=BAD_RECORD,type=USER,message=expected \\d+ fields, got \\d+"));

      assertThat(parsed.rules())
          .extracting(r -> r.labels().category())
          .containsExactly("QUOTA", "BAD_RECORD");
      assertThat(parsed.problems())
          .containsExactly(
              new Rules.Problem(
                  2,
                  "category=schema,class=io.confluent.*",
                  "category 'schema' is not upper case letters, digits and _"));
    }
  }

  @Nested
  class Chains {

    @Test
    void a_cyclic_chain_ends_where_it_comes_back() {
      IOException a = thrownByFlink(new IOException("a"));
      IllegalStateException b = thrownByFlink(new IllegalStateException("b"));
      a.initCause(b);
      b.initCause(a);

      assertThat(Chain.of(a).size()).isEqualTo(2);
      assertThat(classify(a)).isEqualTo(Labels.UNKNOWN);

      ConnectException c = new ConnectException("refused");
      IOException d = new IOException("d", new IOException("e", c));
      c.initCause(d);
      assertThat(classify(d)).isEqualTo(labels(Categories.NETWORK, Fault.SYSTEM));
    }

    @Test
    void a_throwable_that_is_its_own_cause() {
      Throwable self =
          thrownByFlink(
              new IllegalStateException("self") {
                @Override
                public synchronized Throwable getCause() {
                  return this;
                }
              });

      assertThat(Chain.of(self).size()).isEqualTo(1);
    }

    @Test
    void the_chain_is_read_32_deep() {
      assertThat(classify(wrapped(new ConnectException("refused"), Chain.MAX_DEPTH - 1)))
          .isEqualTo(labels(Categories.NETWORK, Fault.SYSTEM));
      assertThat(classify(wrapped(new ConnectException("refused"), Chain.MAX_DEPTH)))
          .isEqualTo(Labels.UNKNOWN);
    }

    @Test
    void suppressed_throwables_are_not_read() {
      IOException failure = thrownByFlink(new IOException("closing failed"));
      failure.addSuppressed(new OutOfMemoryError("Java heap space"));

      assertThat(classify(failure)).isEqualTo(Labels.UNKNOWN);
    }

    @Test
    void a_message_that_throws_reads_as_none() {
      Throwable failure =
          thrownByFlink(
              new ConnectException() {
                @Override
                public String getMessage() {
                  throw new IllegalStateException("no message today");
                }
              });

      assertThat(classify(failure)).isEqualTo(labels(Categories.NETWORK, Fault.SYSTEM));
      // Not ANY: the message regex does not match. USER_CODE: the subclass is the test's own.
      assertThat(
              Rules.of(List.of(Rule.parse("category=ANY,message=.*")), false)
                  .classify(failure, null))
          .isEqualTo(labels(Categories.USER_CODE, Fault.USER));
    }

    @Test
    void null_messages_match_no_message_regex() {
      Rules rules = Rules.of(List.of(Rule.parse("category=ANY,message=.*")), true);

      assertThat(rules.classify(thrownByFlink(new IllegalStateException()), null))
          .isEqualTo(Labels.UNKNOWN);
      assertThat(classify(thrownByFlink(new FlinkRuntimeException((String) null))))
          .isEqualTo(Labels.UNKNOWN);
    }

    @Test
    void a_message_regex_sees_the_start_of_a_long_message() {
      Rules rules = Rules.of(List.of(Rule.parse("category=FOUND,message=needle$")), false);
      String filler = "x".repeat(Chain.MAX_MESSAGE_CHARS);

      assertThat(rules.classify(thrownByFlink(new IOException("needle")), null).category())
          .isEqualTo("FOUND");
      assertThat(rules.classify(thrownByFlink(new IOException(filler + "needle")), null))
          .isEqualTo(Labels.UNKNOWN);
    }

    @Test
    void a_serialized_throwable_stands_for_the_original() {
      assertThat(classify(new SerializedThrowable(new OutOfMemoryError("Metaspace"))))
          .isEqualTo(labels(Categories.OUT_OF_MEMORY, Fault.SYSTEM));
      assertThat(
              classify(
                  new SerializedThrowable(
                      new FlinkException(
                          "x", new org.apache.kafka.common.errors.TimeoutException("y")))))
          .isEqualTo(labels(Categories.KAFKA, Fault.SYSTEM));
      assertThat(classify(new SerializedThrowable(thrownByFlink(new InvalidOrderException("x")))))
          .isEqualTo(labels(Categories.USER_CODE, Fault.USER));
    }

    @Test
    void a_serialized_throwable_is_read_with_its_original_message() {
      Rules rules =
          Rules.of(List.of(Rule.parse("category=ORDER,message=^Order \\d+ rejected")), false);

      assertThat(
              rules.classify(
                  new SerializedThrowable(
                      thrownByFlink(new IllegalStateException("Order 7 rejected"))),
                  null))
          .isEqualTo(labels("ORDER", Fault.SYSTEM));
    }

    private static Throwable wrapped(Throwable innermost, int wrappers) {
      Throwable failure = innermost;
      for (int i = 0; i < wrappers; i++) {
        failure = thrownByFlink(new FlinkException("wrapper " + i, failure));
      }
      return failure;
    }
  }
}
