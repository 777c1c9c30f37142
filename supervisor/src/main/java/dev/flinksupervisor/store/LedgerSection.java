package dev.flinksupervisor.store;

/**
 * A part of the sidecar's state that is kept in the {@link Ledger} under its own key. A section
 * knows which of its entities changed since it was last stored, so that what another sidecar wrote
 * in the meantime is merged entity by entity instead of overwritten.
 */
public interface LedgerSection {

  /** The key of this section in the ledger. */
  String key();

  /** Whether the section changed since it was last written or merged from the ledger. */
  boolean dirty();

  /**
   * The section as JSON text of at most {@code maxBytes} bytes. A section that can shed old entries
   * (events) drops the oldest to fit; one that cannot returns its whole content. {@link
   * Export#written()} is called once the text is stored: it becomes the base of the next merge.
   */
  Export export(int maxBytes);

  /**
   * Takes what the ledger holds under this key into the section: entities this sidecar did not
   * change since the last write or merge become the stored ones, those it changed stay its own, and
   * when both changed the section decides. Afterwards the stored text is the base of the next
   * merge.
   *
   * @param stored the stored text; null when the ledger has no such key
   * @throws Exception when the text cannot be parsed; the section is then unchanged
   */
  void merge(String stored) throws Exception;

  /**
   * Drops history (entries no promise depends on, oldest first) worth about {@code bytes} bytes of
   * JSON, so that the record fits its budget.
   *
   * @return about how many bytes were dropped; 0 when there is nothing left to drop
   */
  default int shed(int bytes) {
    return 0;
  }

  /** A section's text as exported, and what to do once it is stored. */
  record Export(String json, Runnable written) {}
}
