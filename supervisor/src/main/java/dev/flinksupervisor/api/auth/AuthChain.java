package dev.flinksupervisor.api.auth;

import dev.flinksupervisor.api.Problem;
import dev.flinksupervisor.api.ProblemException;
import io.javalin.http.Context;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates a request to the admin API, trying in this order:
 *
 * <ol>
 *   <li>a client certificate verified by the TLS handshake that a rule maps to a role;
 *   <li>{@code Authorization: Bearer <token>}: the static tokens (constant time), then, when the
 *       token looks like a JWT and OIDC is configured, the OIDC issuer, then, when enabled, a
 *       Kubernetes TokenReview.
 * </ol>
 *
 * The first that knows the credentials decides. Unknown or refused credentials are 401, an identity
 * provider that cannot be asked is 503 with {@code Retry-After}; neither names the token. The
 * caller's role and id go into the request attributes {@link #ROLE} and {@link #CALLER}.
 */
public final class AuthChain {
  private static final Logger LOG = LoggerFactory.getLogger(AuthChain.class);
  public static final String ROLE = "flink-supervisor.role";
  public static final String CALLER = "flink-supervisor.caller";

  /** Where Jetty puts the client's verified certificate chain (the servlet API's attribute). */
  static final String CERTIFICATES = "jakarta.servlet.request.X509Certificate";

  static final long RETRY_AFTER_SECONDS = 5;
  private static final String PREFIX = "Bearer ";
  private static final String SEND_A_TOKEN = "Send 'Authorization: Bearer <token>'.";

  private final StaticTokens tokens;
  private final AuthMethods methods;

  public AuthChain(StaticTokens tokens, AuthMethods methods) {
    this.tokens = tokens;
    this.methods = methods;
  }

  /** Authenticates the request and remembers the caller's role and id; throws 401 or 503. */
  public void check(Context ctx) {
    List<X509Certificate> certificates =
        methods.certificates().isPresent() ? certificatesOf(ctx) : List.of();
    String header = ctx.header("Authorization");
    Optional<String> token = Optional.empty();
    String noToken = SEND_A_TOKEN;
    if (header != null && !header.isBlank()) {
      if (header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
        token = Optional.of(header.substring(PREFIX.length()).trim());
      } else {
        noToken = "Only bearer tokens are accepted.";
      }
    }
    Caller caller = authenticate(new Credentials(certificates, token), noToken);
    ctx.attribute(ROLE, caller.role());
    ctx.attribute(CALLER, caller.id());
  }

  /** As {@link #check}, for credentials already taken from a request. */
  public Caller authenticate(Credentials credentials) {
    return authenticate(credentials, SEND_A_TOKEN);
  }

  private Caller authenticate(Credentials credentials, String noToken) {
    try {
      String certificateNote = "";
      if (methods.certificates().isPresent() && !credentials.clientCertificates().isEmpty()) {
        Optional<Caller> caller = methods.certificates().get().authenticate(credentials);
        if (caller.isPresent()) {
          return caller.get();
        }
        certificateNote =
            "The client certificate '"
                + Caller.printable(
                    CertificateIdentity.of(credentials.clientCertificates().get(0)).displayName())
                + "' matches no rule of auth.mtls.operators or auth.mtls.viewers. ";
      }
      if (credentials.bearerToken().isEmpty() || credentials.bearerToken().get().isEmpty()) {
        throw ProblemException.unauthorized(certificateNote + noToken);
      }
      Optional<Caller> caller = tokens.authenticate(credentials);
      if (caller.isEmpty()
          && methods.oidc().isPresent()
          && OidcTokens.looksLikeJwt(credentials.bearerToken().get())) {
        caller = methods.oidc().get().authenticate(credentials);
      }
      if (caller.isEmpty() && methods.kubernetes().isPresent()) {
        caller = methods.kubernetes().get().authenticate(credentials);
      }
      if (caller.isEmpty()) {
        throw ProblemException.unauthorized(certificateNote + "The bearer token is not valid.");
      }
      return caller.get();
    } catch (AuthenticationRefused e) {
      throw ProblemException.unauthorized(e.getMessage());
    } catch (IdentityProviderUnavailable e) {
      throw unavailable(e.getMessage());
    } catch (ProblemException e) {
      throw e;
    } catch (RuntimeException e) {
      // Never a 500 for a failure while authenticating; the log names the kind, not the message.
      LOG.warn(
          "Authenticating a request failed unexpectedly: {}{}",
          e.getClass().getName(),
          e.getCause() == null ? "" : " caused by " + e.getCause().getClass().getName());
      throw unavailable("The credentials could not be checked; try again shortly.");
    }
  }

  private static ProblemException unavailable(String detail) {
    return new ProblemException(
            Problem.of(503, "identity-provider-unavailable", "Cannot authenticate now", detail))
        .retryAfter(RETRY_AFTER_SECONDS);
  }

  private static List<X509Certificate> certificatesOf(Context ctx) {
    Object chain = ctx.req().getAttribute(CERTIFICATES);
    if (chain instanceof X509Certificate[] certificates && certificates.length > 0) {
      return List.of(certificates);
    }
    return List.of();
  }
}
