package dev.flinksupervisor.api.auth;

import dev.flinksupervisor.api.ApiRole;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The role a token's claims give: the claim named {@code claim} holds a string (values separated by
 * spaces, as in {@code scope}) or an array of strings; any operator value makes an operator, else
 * any viewer value a viewer. A claim name with dots is first looked up as it is (claim names may be
 * URLs), then as a path into nested objects ({@code realm_access.roles}).
 */
public record RoleClaims(String claim, Set<String> operatorValues, Set<String> viewerValues) {
  public RoleClaims {
    operatorValues = Set.copyOf(operatorValues);
    viewerValues = Set.copyOf(viewerValues);
  }

  public Optional<ApiRole> roleOf(Map<String, Object> claims) {
    List<String> values = values(claims, claim);
    if (values.stream().anyMatch(operatorValues::contains)) {
      return Optional.of(ApiRole.OPERATOR);
    }
    if (values.stream().anyMatch(viewerValues::contains)) {
      return Optional.of(ApiRole.VIEWER);
    }
    return Optional.empty();
  }

  /** The strings of a claim, found by its name or by its dotted path; empty when absent. */
  static List<String> values(Map<String, Object> claims, String name) {
    if (claims.containsKey(name)) {
      return strings(claims.get(name));
    }
    Object node = claims;
    for (String part : name.split("\\.")) {
      if (!(node instanceof Map<?, ?> map) || !map.containsKey(part)) {
        return List.of();
      }
      node = map.get(part);
    }
    return strings(node);
  }

  private static List<String> strings(Object value) {
    List<String> out = new ArrayList<>();
    if (value instanceof String text) {
      for (String word : text.strip().split("\\s+")) {
        if (!word.isEmpty()) {
          out.add(word);
        }
      }
    } else if (value instanceof Collection<?> items) {
      for (Object item : items) {
        if (item instanceof String text) {
          out.add(text);
        }
      }
    }
    return out;
  }
}
