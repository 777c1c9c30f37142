package dev.flinksupervisor.store;

/** A conditional write found another version of the record than the one it was based on. */
public final class LedgerConflict extends LedgerException {
  private static final long serialVersionUID = 1L;

  public LedgerConflict(String message, Throwable cause) {
    super(message, cause);
  }
}
