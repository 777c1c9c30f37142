package dev.flinksupervisor.savepoints;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * A recurring window in which no scheduled savepoint starts: it opens at each time of a cron
 * expression (Unix, five fields) in a time zone and lasts {@code duration}.
 */
public record BlackoutWindow(String cron, Duration duration, ZoneId zone) {
  private static final CronParser PARSER =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  public BlackoutWindow {
    parse(cron);
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("a blackout window lasts longer than zero");
    }
  }

  /** Parses a Unix cron expression; the exception says what is wrong with it. */
  static Cron parse(String expression) {
    try {
      return PARSER.parse(expression).validate();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "'"
              + expression
              + "' is not a cron expression (minute hour day month weekday): "
              + e.getMessage(),
          e);
    }
  }

  /** Whether {@code now} falls inside a window. */
  public boolean covers(Instant now) {
    ZonedDateTime at = now.atZone(zone);
    ExecutionTime times = ExecutionTime.forCron(parse(cron));
    ZonedDateTime thisMinute = at.truncatedTo(ChronoUnit.MINUTES);
    Optional<ZonedDateTime> opened =
        times.isMatch(thisMinute) ? Optional.of(thisMinute) : times.lastExecution(at);
    return opened.isPresent() && opened.get().plus(duration).isAfter(at);
  }
}
