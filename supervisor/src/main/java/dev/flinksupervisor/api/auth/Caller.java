package dev.flinksupervisor.api.auth;

import dev.flinksupervisor.api.ApiRole;

/**
 * Who made a request, once authenticated: the role it gets and an id for the audit log that holds
 * nothing secret ({@code operator:1a2b3c4d}, {@code mtls:CN=controller}, {@code oidc:<sub>}, {@code
 * k8s:<username>}).
 */
public record Caller(ApiRole role, String id) {
  public Caller {
    id = printable(id);
  }

  /** At most 200 printable characters: an id is written into log lines and events. */
  static String printable(String text) {
    StringBuilder out = new StringBuilder();
    text.codePoints().limit(200).forEach(c -> out.appendCodePoint(c < 0x20 || c == 0x7f ? '?' : c));
    return out.toString();
  }
}
