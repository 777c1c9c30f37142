package dev.flinksupervisor.plugins.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PushBatchJsonTest {

  private static PushStats cost() {
    PushStats stats = new PushStats();
    stats.handOff(1000);
    stats.handOff(2500);
    stats.senderCpu(7_000_000);
    return stats;
  }

  @Test
  void writes_the_documented_wire_format() {
    byte[] json =
        PushBatchJson.encode(
            "jm-0",
            "i-1",
            1_733_100_000_123L,
            3,
            1,
            cost(),
            List.of(
                new PushedEvent(
                    "JobStatusChangeEvent",
                    1_733_100_000_100L,
                    "3f1c",
                    "orders",
                    Map.of("newJobStatus", "RESTARTING")),
                new PushedEvent(
                    "CheckpointEvent",
                    1_733_100_000_200L,
                    null,
                    null,
                    Map.of("checkpointType", "Savepoint", "checkpointId", "7"))));

    assertThat(new String(json, StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"reporter\":\"jm-0\",\"instance\":\"i-1\",\"sent\":1733100000123,\"dropped\":3,\"failedBatches\":1,"
                + "\"cost\":{\"handOffs\":2,\"handOffNanos\":3500,\"handOffMaxNanos\":2500,"
                + "\"senderCpuNanos\":7000000},"
                + "\"events\":["
                + "{\"name\":\"JobStatusChangeEvent\",\"observedAt\":1733100000100,"
                + "\"jobId\":\"3f1c\",\"jobName\":\"orders\","
                + "\"attributes\":{\"newJobStatus\":\"RESTARTING\"}},"
                + "{\"name\":\"CheckpointEvent\",\"observedAt\":1733100000200,"
                + "\"jobId\":null,\"jobName\":null,"
                + "\"attributes\":{\"checkpointId\":\"7\",\"checkpointType\":\"Savepoint\"}}]}");
  }

  @Test
  void escapes_text() {
    byte[] json =
        PushBatchJson.encode(
            "jm \"0\"",
            "i",
            0,
            0,
            0,
            new PushStats(),
            List.of(new PushedEvent("E", 0, "j", "na\"me\n", Map.of("k", "\u00e9"))));

    assertThat(new String(json, StandardCharsets.UTF_8))
        .contains("\"reporter\":\"jm \\\"0\\\"\"")
        .contains("\"jobName\":\"na\\\"me\\n\"")
        .contains("\"k\":\"\u00e9\"");
  }
}
