package dev.flinksupervisor.plugins.push;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/** Collects what is logged while it is open. */
final class LogCapture extends AbstractAppender implements AutoCloseable {

  record Line(Level level, String logger, String message, Throwable thrown) {}

  private final List<Line> lines = new CopyOnWriteArrayList<>();

  private LogCapture() {
    super("capture", null, null, true, Property.EMPTY_ARRAY);
  }

  static LogCapture capture() {
    LogCapture capture = new LogCapture();
    capture.start();
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    context.getConfiguration().getRootLogger().addAppender(capture, Level.ALL, null);
    context.updateLoggers();
    return capture;
  }

  @Override
  public void append(LogEvent event) {
    lines.add(
        new Line(
            event.getLevel(),
            event.getLoggerName(),
            event.getMessage().getFormattedMessage(),
            event.getThrown()));
  }

  List<Line> lines() {
    return List.copyOf(lines);
  }

  List<Line> lines(Level level, String containing) {
    return lines.stream()
        .filter(line -> line.level() == level && line.message().contains(containing))
        .toList();
  }

  @Override
  public void close() {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    context.getConfiguration().getRootLogger().removeAppender(getName());
    context.updateLoggers();
    stop();
  }
}
