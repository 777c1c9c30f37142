package dev.flinksupervisor.plugins.failures;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.util.SerializedThrowable;
import org.slf4j.LoggerFactory;

/**
 * A failure's cause chain as the rules see it: the failure, its cause, the cause's cause and so on,
 * at most {@value #MAX_DEPTH} throwables, each once (a cyclic chain ends where it comes back).
 * Suppressed throwables are not part of it.
 *
 * <p>A throwable is never trusted to behave: whatever its {@code getCause()}, {@code getMessage()}
 * or {@code getStackTrace()} throw reads as "none". Classes are only compared by name, never
 * loaded. A {@link SerializedThrowable} (a task's failure whose class the JobManager could not
 * load) stands for the original: its original class name and message are used, but the original's
 * superclasses are unknown.
 */
final class Chain {
  static final int MAX_DEPTH = 32;

  /** A message regex sees at most this many characters from the start of the message. */
  static final int MAX_MESSAGE_CHARS = 16_384;

  private static final StackTraceElement[] NO_FRAMES = new StackTraceElement[0];

  private final Throwable[] throwables;
  private final String[] names;
  private final String[] messages;
  private final int size;

  private Chain(Throwable[] throwables, int size) {
    this.throwables = throwables;
    this.size = size;
    this.names = new String[size];
    this.messages = new String[size];
    for (int i = 0; i < size; i++) {
      Throwable t = throwables[i];
      String original = t instanceof SerializedThrowable s ? originalName(s) : null;
      names[i] = original != null ? original : t.getClass().getName();
      messages[i] = message(t, original);
    }
  }

  static Chain of(Throwable failure) {
    Throwable[] chain = new Throwable[MAX_DEPTH];
    int size = 0;
    for (Throwable t = failure; t != null && size < MAX_DEPTH; t = causeOf(t)) {
      if (contains(chain, size, t)) {
        break;
      }
      chain[size++] = t;
    }
    return new Chain(chain, size);
  }

  int size() {
    return size;
  }

  /** The class name of the i-th throwable; the original one for a {@link SerializedThrowable}. */
  String className(int i) {
    return names[i];
  }

  /** Whether the i-th throwable's class, or one of its superclasses, is one of these. */
  boolean isA(int i, List<ClassName> classes) {
    Throwable t = throwables[i];
    if (t instanceof SerializedThrowable) {
      return anyMatches(classes, names[i]);
    }
    for (Class<?> c = t.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
      if (anyMatches(classes, c.getName())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the regex finds a match in the i-th throwable's message; never for no message, and not
   * when the search takes longer than {@link #REGEX_BUDGET_NANOS} (a regex that backtracks without
   * end must not hold up the JobManager's main thread): that search is abandoned, once logged.
   */
  boolean messageFinds(int i, Pattern regex) {
    String message = messages[i];
    if (message == null) {
      return false;
    }
    Matcher matcher = regex.matcher(new Budgeted(message, System.nanoTime() + REGEX_BUDGET_NANOS));
    if (message.length() > MAX_MESSAGE_CHARS) {
      matcher.region(0, MAX_MESSAGE_CHARS).useAnchoringBounds(false);
    }
    try {
      return matcher.find();
    } catch (OverBudget e) {
      ABANDONED.incrementAndGet();
      if (WARNED_OVER_BUDGET.compareAndSet(false, true)) {
        LoggerFactory.getLogger(Chain.class)
            .warn(
                "The message regex '{}' of a failure-labels rule took longer than {} ms and was"
                    + " abandoned (treated as no match); simplify it. Said once.",
                regex.pattern(),
                REGEX_BUDGET_NANOS / 1_000_000);
      }
      return false;
    }
  }

  /** The longest one regex may search one message. */
  static final long REGEX_BUDGET_NANOS = 10_000_000L;

  /** Searches abandoned over their budget since the JobManager started. */
  static final java.util.concurrent.atomic.AtomicLong ABANDONED =
      new java.util.concurrent.atomic.AtomicLong();

  private static final java.util.concurrent.atomic.AtomicBoolean WARNED_OVER_BUDGET =
      new java.util.concurrent.atomic.AtomicBoolean();

  /** Thrown out of a regex search that ran over its budget. */
  private static final class OverBudget extends RuntimeException {
    OverBudget() {
      super(null, null, false, false);
    }
  }

  /** A message that ends a regex search running past its deadline, checked every 1024 reads. */
  private static final class Budgeted implements CharSequence {
    private final String text;
    private final long deadline;
    private int reads;

    Budgeted(String text, long deadline) {
      this.text = text;
      this.deadline = deadline;
    }

    @Override
    public char charAt(int index) {
      if ((++reads & 1023) == 0 && System.nanoTime() - deadline > 0) {
        throw new OverBudget();
      }
      return text.charAt(index);
    }

    @Override
    public int length() {
      return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return text.subSequence(start, end);
    }

    @Override
    public String toString() {
      return text;
    }
  }

  /** The stack trace of the last throwable in the chain, the one thrown first; may be empty. */
  StackTraceElement[] innermostFrames() {
    if (size == 0) {
      return NO_FRAMES;
    }
    try {
      StackTraceElement[] frames = throwables[size - 1].getStackTrace();
      return frames != null ? frames : NO_FRAMES;
    } catch (Throwable e) {
      return NO_FRAMES;
    }
  }

  private static boolean anyMatches(List<ClassName> classes, String name) {
    for (int k = 0; k < classes.size(); k++) {
      if (classes.get(k).matches(name)) {
        return true;
      }
    }
    return false;
  }

  private static boolean contains(Throwable[] chain, int size, Throwable t) {
    for (int i = 0; i < size; i++) {
      if (chain[i] == t) {
        return true;
      }
    }
    return false;
  }

  private static Throwable causeOf(Throwable t) {
    try {
      return t.getCause();
    } catch (Throwable e) {
      return null;
    }
  }

  private static String originalName(SerializedThrowable t) {
    try {
      return t.getOriginalErrorClassName();
    } catch (Throwable e) {
      return null;
    }
  }

  /** The message; for a SerializedThrowable without its "OriginalClass: " prefix. */
  private static String message(Throwable t, String originalName) {
    String message;
    try {
      message = t.getMessage();
    } catch (Throwable e) {
      return null;
    }
    if (message == null || originalName == null || !message.startsWith(originalName)) {
      return message;
    }
    if (message.length() == originalName.length()) {
      return null;
    }
    if (message.startsWith(": ", originalName.length())) {
      return message.substring(originalName.length() + 2);
    }
    return message;
  }
}
