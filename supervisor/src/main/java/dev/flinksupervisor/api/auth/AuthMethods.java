package dev.flinksupervisor.api.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The ways to authenticate beside the static bearer tokens, each optional: client certificates,
 * OIDC tokens and Kubernetes tokens. {@link AuthChain} tries them in this order.
 */
public record AuthMethods(
    Optional<Authenticator> certificates,
    Optional<Authenticator> oidc,
    Optional<Authenticator> kubernetes) {

  /** Static tokens only. */
  public static final AuthMethods NONE =
      new AuthMethods(Optional.empty(), Optional.empty(), Optional.empty());

  /** Whether any method other than static tokens can give the operator role. */
  public boolean any() {
    return certificates.isPresent() || oidc.isPresent() || kubernetes.isPresent();
  }

  /** The enabled methods, in the order they are tried, for the start log. */
  public List<String> descriptions() {
    List<String> out = new ArrayList<>();
    certificates.ifPresent(a -> out.add(a.description()));
    oidc.ifPresent(a -> out.add(a.description()));
    kubernetes.ifPresent(a -> out.add(a.description()));
    return out;
  }
}
