package dev.flinksupervisor.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The read-only status page: three static files served from the jar, with nothing fetched from
 * elsewhere. The files carry no data; the page reads the admin API with the token entered in it, so
 * it sees what that token may see. A strict content security policy lets it load only itself and
 * talk only to this sidecar.
 */
final class StatusPage {
  static final String PATH = "/status";
  private static final String POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"
          + " img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private final byte[] html = read("index.html");
  private final byte[] script = read("status.js");
  private final byte[] style = read("status.css");

  void register(RoutesConfig routes) {
    routes.get(PATH, ctx -> send(ctx, "text/html; charset=utf-8", html));
    routes.get(PATH + "/status.js", ctx -> send(ctx, "text/javascript; charset=utf-8", script));
    routes.get(PATH + "/status.css", ctx -> send(ctx, "text/css; charset=utf-8", style));
  }

  private static void send(Context ctx, String contentType, byte[] body) {
    ctx.header("Content-Security-Policy", POLICY);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.header("Cache-Control", "no-cache");
    ctx.contentType(contentType).result(body);
  }

  private static byte[] read(String name) {
    try (InputStream in = StatusPage.class.getResourceAsStream("status/" + name)) {
      if (in == null) {
        throw new IllegalStateException("The status page's " + name + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
