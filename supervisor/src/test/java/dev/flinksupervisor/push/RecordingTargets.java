package dev.flinksupervisor.push;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Hint targets that only write down what they were asked, in order. */
public final class RecordingTargets implements PushHints.Targets {
  public final List<String> calls = new CopyOnWriteArrayList<>();

  @Override
  public void pollSoon() {
    calls.add("poll");
  }

  @Override
  public void failureAnnounced(String jobId, long failedAt) {
    calls.add("failure " + jobId + " at " + failedAt);
  }

  @Override
  public void checkSavepoints() {
    calls.add("savepoints");
  }
}
