package dev.flinksupervisor.api;

import dev.flinksupervisor.push.PushBatch;
import dev.flinksupervisor.push.PushHints;
import io.javalin.config.JavalinConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Where the JobManager's push plugin delivers its events: {@code POST /push/v1/events}, on a
 * listener of its own (loopback by default: the plugin runs in the same pod), for the push token
 * only. Nothing else is served on that listener, and the push route is not served on the admin one.
 * A batch is handed to {@link PushHints} and answered 204 at once.
 */
public final class PushRoutes {
  static final String PATH = "/push/v1/events";

  private final String host;
  private final int port;
  private final BearerTokenAuth auth;
  private final PushHints hints;
  private volatile ServerConnector connector;

  public PushRoutes(String host, int port, String token, PushHints hints) {
    this.host = host;
    this.port = port;
    this.auth = new BearerTokenAuth(Map.of(token, ApiRole.PUSH));
    this.hints = hints;
  }

  /**
   * Accepts a rotated push token from now on, and {@code previous} too (until called again without
   * it): the two containers see a rotated Secret at different moments.
   */
  public void replaceToken(String token, String previous) {
    auth.replace(
        previous == null || previous.equals(token)
            ? Map.of(token, ApiRole.PUSH)
            : Map.of(token, ApiRole.PUSH, previous, ApiRole.PUSH));
  }

  String host() {
    return host;
  }

  /** The port bound (useful with port 0); -1 before the server started. */
  public int port() {
    ServerConnector c = connector;
    return c == null ? -1 : c.getLocalPort();
  }

  void addConnector(JavalinConfig config) {
    config.jetty.addConnector(
        (server, httpConfig) -> {
          ServerConnector c = new ServerConnector(server, new HttpConnectionFactory(httpConfig));
          c.setName("push");
          c.setHost(host);
          c.setPort(port);
          connector = c;
          return c;
        });
  }

  void register(RoutesConfig routes) {
    routes.before(this::keepApart);
    routes.before(PATH, auth::check);
    routes.post(PATH, this::accept);
  }

  private boolean onPushListener(Context ctx) {
    ServerConnector c = connector;
    return c != null && ctx.req().getLocalPort() == c.getLocalPort();
  }

  /** The push listener serves pushes only; the admin listener serves no pushes. */
  private void keepApart(Context ctx) {
    boolean pushPath = ctx.path().equals(PATH);
    if (pushPath != onPushListener(ctx)) {
      throw ProblemException.notFound("Resource", "No resource at " + ctx.path() + ".");
    }
  }

  private void accept(Context ctx) {
    PushBatch batch;
    try {
      batch = ctx.bodyAsClass(PushBatch.class);
    } catch (Exception e) { // Jackson's exceptions are checked ones, thrown through Javalin

      throw ProblemException.badRequest(
          "body", "The body is not a batch of pushed events: " + e.getClass().getSimpleName());
    }
    if (batch == null) {
      throw ProblemException.badRequest(
          "body", "The body is empty; send a batch of pushed events.");
    }
    hints.accept(batch);
    ctx.status(204);
  }
}
