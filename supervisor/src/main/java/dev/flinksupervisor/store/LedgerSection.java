package dev.flinksupervisor.store;

/** A part of the sidecar's state that is kept in the {@link Ledger} under its own key. */
public interface LedgerSection {

  /** The key of this section in the ledger. */
  String key();

  /** Grows whenever the section's content changes; the keeper writes only after a change. */
  long version();

  /**
   * The section as JSON text of at most {@code maxBytes} bytes. A section that can shed old entries
   * (events) drops the oldest to fit; one that cannot returns its whole content.
   */
  String export(int maxBytes);

  /** Replaces the section's content with what the ledger held. */
  void restore(String json) throws Exception;
}
