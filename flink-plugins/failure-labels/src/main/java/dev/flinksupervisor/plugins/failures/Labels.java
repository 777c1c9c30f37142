package dev.flinksupervisor.plugins.failures;

import java.util.Objects;

/** The labels a failure gets: its category and who it is put down to. */
record Labels(String category, Fault fault) {

  /** When no rule matches. */
  static final Labels UNKNOWN = new Labels(Categories.UNKNOWN, Fault.SYSTEM);

  Labels {
    Objects.requireNonNull(category, "category");
    Objects.requireNonNull(fault, "fault");
  }

  @Override
  public String toString() {
    return category + "/" + fault;
  }
}
