package dev.flinksupervisor.api.auth;

import dev.flinksupervisor.api.ApiRole;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which verified client certificates get which role. Each rule list ({@code auth.mtls.operators},
 * {@code auth.mtls.viewers}) holds patterns separated by {@code ;} (or new lines); operator rules
 * are tried first. A pattern is one of:
 *
 * <ul>
 *   <li>{@code CN=flink-controller,O=platform}: a subject match. Every attribute of the pattern
 *       must be in the certificate's subject with exactly that value (attribute types ignore case;
 *       the subject may have more attributes, in any order);
 *   <li>{@code SAN:<value>}: a subject alternative name of type DNS, URI or email equal to the
 *       value; {@code DNS:}, {@code URI:} or {@code EMAIL:} instead of {@code SAN:} name the type.
 *       A value ending in {@code *} matches every name that starts with what comes before it
 *       ({@code URI:spiffe://cluster.local/ns/flink/sa/*}). DNS names and emails ignore case;
 *   <li>{@code *}: every certificate the trusted CAs issued.
 * </ul>
 */
public final class CertificateRules {
  /** One pattern; {@link #matches} decides it. */
  sealed interface Pattern permits Subject, AltName, Any {
    boolean matches(CertificateIdentity identity);
  }

  record Subject(List<Map.Entry<String, String>> attributes) implements Pattern {
    @Override
    public boolean matches(CertificateIdentity identity) {
      return identity.attributes().containsAll(attributes);
    }
  }

  /** {@code type} is SAN (any of DNS, URI, email), DNS, URI or EMAIL. */
  record AltName(String type, String value) implements Pattern {
    @Override
    public boolean matches(CertificateIdentity identity) {
      boolean any = type.equals("SAN");
      return (any || type.equals("DNS")) && anyMatches(identity.dnsNames(), true)
          || (any || type.equals("URI")) && anyMatches(identity.uris(), false)
          || (any || type.equals("EMAIL")) && anyMatches(identity.emails(), true);
    }

    private boolean anyMatches(List<String> names, boolean ignoreCase) {
      for (String name : names) {
        String candidate = ignoreCase ? name.toLowerCase(Locale.ROOT) : name;
        String wanted = ignoreCase ? value.toLowerCase(Locale.ROOT) : value;
        boolean match =
            wanted.endsWith("*")
                ? candidate.startsWith(wanted.substring(0, wanted.length() - 1))
                : candidate.equals(wanted);
        if (match) {
          return true;
        }
      }
      return false;
    }
  }

  record Any() implements Pattern {
    @Override
    public boolean matches(CertificateIdentity identity) {
      return true;
    }
  }

  public static final CertificateRules NONE = new CertificateRules(List.of(), List.of());

  private final List<Pattern> operators;
  private final List<Pattern> viewers;

  private CertificateRules(List<Pattern> operators, List<Pattern> viewers) {
    this.operators = List.copyOf(operators);
    this.viewers = List.copyOf(viewers);
  }

  /**
   * Parses both rule lists; throws {@link IllegalArgumentException} naming the pattern that is not
   * understood.
   */
  public static CertificateRules parse(String operators, String viewers) {
    return new CertificateRules(patterns(operators), patterns(viewers));
  }

  static List<Pattern> patterns(String text) {
    List<Pattern> out = new ArrayList<>();
    if (text == null) {
      return out;
    }
    for (String raw : text.split("[;\\n]")) {
      String pattern = raw.strip();
      if (!pattern.isEmpty()) {
        out.add(pattern(pattern));
      }
    }
    return out;
  }

  static Pattern pattern(String pattern) {
    if (pattern.equals("*")) {
      return new Any();
    }
    int colon = pattern.indexOf(':');
    int equals = pattern.indexOf('=');
    if (colon > 0 && (equals < 0 || colon < equals)) {
      String type = pattern.substring(0, colon).strip().toUpperCase(Locale.ROOT);
      String value = pattern.substring(colon + 1).strip();
      if (!List.of("SAN", "DNS", "URI", "EMAIL").contains(type)) {
        throw new IllegalArgumentException(
            "'"
                + pattern
                + "': a pattern is a subject such as CN=x,O=y, or SAN:, DNS:, URI: or EMAIL:"
                + " followed by a name, or *");
      }
      if (value.isEmpty()) {
        throw new IllegalArgumentException("'" + pattern + "' names no value after the colon");
      }
      return new AltName(type, value);
    }
    List<Map.Entry<String, String>> attributes = CertificateIdentity.attributesOf(pattern);
    if (attributes.isEmpty()) {
      throw new IllegalArgumentException("'" + pattern + "' names no subject attribute");
    }
    return new Subject(attributes);
  }

  /** The role of a verified certificate, or empty when no rule matches it. */
  public Optional<ApiRole> roleOf(CertificateIdentity identity) {
    if (operators.stream().anyMatch(p -> p.matches(identity))) {
      return Optional.of(ApiRole.OPERATOR);
    }
    if (viewers.stream().anyMatch(p -> p.matches(identity))) {
      return Optional.of(ApiRole.VIEWER);
    }
    return Optional.empty();
  }

  public boolean isEmpty() {
    return operators.isEmpty() && viewers.isEmpty();
  }

  @Override
  public String toString() {
    return operators.size() + " operator and " + viewers.size() + " viewer rule(s)";
  }
}
