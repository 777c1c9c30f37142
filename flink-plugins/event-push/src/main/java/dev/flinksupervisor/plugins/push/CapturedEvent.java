package dev.flinksupervisor.plugins.push;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.events.Event;

/**
 * The least that is taken of a Flink event on the JobManager's thread: its name, time and a copy of
 * its attribute map (Flink may reuse the map it built for another reporter). Turning it into what
 * is sent ({@link PushedEvent}) happens on the sender's thread.
 */
record CapturedEvent(String name, long observedAt, Map<String, Object> attributes) {

  static CapturedEvent of(Event event) {
    Map<String, Object> attributes = event.getAttributes();
    return new CapturedEvent(
        event.getName(),
        event.getObservedTsMillis(),
        attributes == null ? Map.of() : new HashMap<>(attributes));
  }

  PushedEvent toPushed() {
    return PushedEvent.from(name, observedAt, attributes);
  }
}
