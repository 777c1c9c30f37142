package dev.flinksupervisor.testing;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/** Predictable 32-digit hexadecimal ids: 000…001, 000…002, … */
public final class SequentialIds implements Supplier<String> {
  private final AtomicLong next = new AtomicLong(1);

  @Override
  public String get() {
    return String.format("%032x", next.getAndIncrement());
  }
}
