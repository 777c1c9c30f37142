package dev.flinksupervisor.store;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Helpers shared by the ledger implementations. */
public final class Ledgers {
  private Ledgers() {}

  /** The size of the sections as stored: keys and values in UTF-8. */
  public static int sizeOf(Map<String, String> sections) {
    int size = 0;
    for (Map.Entry<String, String> e : sections.entrySet()) {
      size += utf8Length(e.getKey());
      size += utf8Length(e.getValue());
    }
    return size;
  }

  public static int utf8Length(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }

  static void checkSize(Map<String, String> sections, int capacity, String where)
      throws LedgerException {
    int size = sizeOf(sections);
    if (size > capacity) {
      throw new LedgerException(
          "The record is " + size + " bytes; " + where + " holds at most " + capacity);
    }
  }
}
