package dev.flinksupervisor.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * What a {@code --wait} is waiting for, on stderr. At a terminal: one line redrawn in place, a
 * spinner, the state and the seconds waited. Otherwise (a pipe, a CI log): a plain line when the
 * state changes and every {@link #PLAIN_EVERY} while it does not.
 */
final class Progress {
  static final Duration PLAIN_EVERY = Duration.ofSeconds(10);
  private static final char[] SPINNER = {'|', '/', '-', '\\'};

  private final PrintStream err;
  private final boolean terminal;
  private final String what;
  private final LongSupplier nanos;
  private final long start;
  private String lastState;
  private long lastPrinted;
  private int frame;
  private int drawnWidth;

  Progress(PrintStream err, boolean terminal, String what, LongSupplier nanos) {
    this.err = err;
    this.terminal = terminal;
    this.what = what;
    this.nanos = nanos;
    this.start = nanos.getAsLong();
  }

  /** Reports the state seen now. */
  void update(String state) {
    long now = nanos.getAsLong();
    long seconds = (now - start) / 1_000_000_000L;
    if (terminal) {
      String line =
          SPINNER[frame++ % SPINNER.length] + " " + what + ": " + state + " " + seconds + "s";
      err.print("\r" + line + " ".repeat(Math.max(0, drawnWidth - line.length())));
      drawnWidth = line.length();
      err.flush();
    } else if (!state.equals(lastState) || now - lastPrinted >= PLAIN_EVERY.toNanos()) {
      err.println(what + ": " + state + " (" + seconds + "s)");
      err.flush();
      lastPrinted = now;
    }
    lastState = state;
  }

  /** Clears the redrawn line, so that what follows starts on a clean one. */
  void done() {
    if (terminal && drawnWidth > 0) {
      err.print("\r" + " ".repeat(drawnWidth) + "\r");
      err.flush();
      drawnWidth = 0;
    }
  }
}
