package dev.flinksupervisor.plugins.push;

import java.time.Clock;
import java.util.Properties;
import org.apache.flink.events.reporter.EventReporter;
import org.apache.flink.events.reporter.EventReporterFactory;

/**
 * Creates the {@link SupervisorEventReporter}. Enabled in the Flink configuration with:
 *
 * <pre>
 * events.reporters: supervisor
 * events.reporter.supervisor.factory.class: dev.flinksupervisor.plugins.push.SupervisorEventReporterFactory
 * events.reporter.supervisor.token-file: /etc/flink-supervisor/push/token
 * </pre>
 *
 * Never throws: invalid options leave a disabled reporter and a WARN in the log.
 */
public final class SupervisorEventReporterFactory implements EventReporterFactory {

  @Override
  public EventReporter createEventReporter(Properties properties) {
    return new SupervisorEventReporter(
        properties == null ? new Properties() : properties, Clock.systemUTC());
  }
}
