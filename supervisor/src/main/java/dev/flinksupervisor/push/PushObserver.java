package dev.flinksupervisor.push;

import java.time.Duration;

/** Told of every pushed event and of the plugin's own counts; metrics listen here. */
public interface PushObserver {

  /** An event arrived {@code lag} after the JobManager observed it (negative: clocks differ). */
  void received(String eventName, Duration lag);

  /** The latest cumulative counts one JobManager's plugin reported. */
  void reported(String reporter, long dropped, long failedBatches, PushBatch.Cost cost);

  PushObserver NONE =
      new PushObserver() {
        @Override
        public void received(String eventName, Duration lag) {}

        @Override
        public void reported(
            String reporter, long dropped, long failedBatches, PushBatch.Cost cost) {}
      };
}
