package dev.flinksupervisor.api;

import dev.flinksupervisor.api.ApiModel.ClusterJson;
import dev.flinksupervisor.api.ApiModel.Freshness;
import dev.flinksupervisor.api.ApiModel.JobDetailJson;
import dev.flinksupervisor.api.ApiModel.JobJson;
import dev.flinksupervisor.api.ApiModel.ReadyJson;
import dev.flinksupervisor.api.ApiModel.UpJson;
import dev.flinksupervisor.jobs.JobService;
import dev.flinksupervisor.jobs.Reprofiler;
import dev.flinksupervisor.metrics.MetricsSetup;
import dev.flinksupervisor.savepoints.SavepointService;
import dev.flinksupervisor.store.RecordState;
import dev.flinksupervisor.supervision.ClusterSnapshot;
import dev.flinksupervisor.supervision.ClusterState;
import dev.flinksupervisor.supervision.EventLog;
import dev.flinksupervisor.supervision.EventTypes;
import dev.flinksupervisor.supervision.HealthPolicies;
import dev.flinksupervisor.supervision.JobView;
import dev.flinksupervisor.supervision.Readiness;
import dev.flinksupervisor.supervision.RestorableRecord;
import dev.flinksupervisor.supervision.Severity;
import dev.flinksupervisor.util.Json;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP API: {@code /healthz}, {@code /readyz} and the versioned JSON API under {@code
 * /api/v1}, which requires a bearer token. Every error is an RFC 7807 problem detail.
 */
public final class AdminApi implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);
  private static final Logger AUDIT = LoggerFactory.getLogger("flink-supervisor.audit");
  static final String API = "/api/v1";

  /** What the API serves and how; everything it reads comes from {@link ClusterState}. */
  public record Settings(
      String host,
      int port,
      Map<String, ApiRole> tokens,
      String clusterId,
      String namespace,
      Duration staleAfter,
      boolean metricsRequireToken,
      long maxBodyBytes,
      java.util.Optional<PemTls> tls,
      int maxConcurrentActions,
      Duration idleTimeout,
      long maxUploadBytes,
      int maxEventStreams,
      int eventStreamQueue,
      dev.flinksupervisor.api.auth.AuthMethods auth) {}

  private final Settings settings;
  private volatile Map<String, Object> openApi;
  private final ClusterState state;
  private final EventLog events;
  private final RestorableRecord restorable;
  private final RecordState record;
  private final MetricsSetup metrics;
  private final Clock clock;
  private final BearerTokenAuth auth;
  private final java.util.concurrent.Semaphore actions;
  private static final String PERMIT = "flink-supervisor.action-permit";
  private final SavepointRoutes savepointRoutes;
  private final HealthRoutes healthRoutes;
  private final JobRoutes jobRoutes;
  private final EventRoutes eventRoutes;
  private final java.util.Optional<PushRoutes> push;
  private final com.fasterxml.jackson.databind.ObjectMapper mapper = Json.newMapper();
  private final ConditionalViews views;
  private final java.util.concurrent.ConcurrentMap<String, Timer> requestTimers =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final Javalin app;

  public AdminApi(
      Settings settings,
      ClusterState state,
      EventLog events,
      SavepointService savepoints,
      HealthPolicies healthPolicies,
      JobService jobs,
      dev.flinksupervisor.jobs.Recovery recovery,
      Reprofiler reprofiler,
      RestorableRecord restorable,
      RecordState record,
      MetricsSetup metrics,
      Clock clock,
      java.util.Optional<PushRoutes> push) {
    this.settings = settings;
    this.push = push;
    this.state = state;
    this.events = events;
    this.restorable = restorable;
    this.record = record;
    this.metrics = metrics;
    this.clock = clock;
    this.auth = new BearerTokenAuth(settings.tokens(), settings.auth());
    this.actions = new java.util.concurrent.Semaphore(settings.maxConcurrentActions());
    Access access = new Access(state, record);
    this.savepointRoutes = new SavepointRoutes(savepoints, state, access);
    this.healthRoutes = new HealthRoutes(healthPolicies, state, access);
    this.eventRoutes =
        new EventRoutes(events, settings.eventStreamQueue(), settings.maxEventStreams());
    this.jobRoutes = new JobRoutes(jobs, recovery, reprofiler, access, settings.maxUploadBytes());
    this.views = new ConditionalViews(mapper);
    this.app = Javalin.create(this::configure);
  }

  private void configure(JavalinConfig config) {
    config.startup.showJavalinBanner = false;
    config.jsonMapper(new JavalinJackson(mapper, false));
    // The admin connector first: Javalin reports the first connector's port as the server's.
    config.jetty.addConnector(this::adminConnector);
    push.ifPresent(p -> p.addConnector(config));
    config.http.maxRequestSize = settings.maxBodyBytes();
    config.jetty.multipartConfig.maxFileSize(settings.maxUploadBytes(), SizeUnit.BYTES);
    config.jetty.multipartConfig.maxTotalRequestSize(
        settings.maxUploadBytes() + settings.maxBodyBytes(), SizeUnit.BYTES);
    config.jetty.multipartConfig.maxInMemoryFileSize(1, SizeUnit.MB);
    config.http.prefer405over404 = true;

    config.routes.get("/healthz", ctx -> ctx.json(new UpJson("UP")));
    config.routes.get("/readyz", this::readyz);
    config.routes.get("/openapi.json", ctx -> ctx.json(openApi()));
    new StatusPage().register(config.routes);
    // First: the push listener serves pushes only, before any other route's checks.
    push.ifPresent(p -> p.register(config.routes));
    if (settings.metricsRequireToken()) {
      config.routes.before("/metrics", auth::check);
    }
    config.routes.get(
        "/metrics",
        ctx ->
            ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
    config.requestLogger.http(this::timeRequest);

    config.routes.before(API + "/*", auth::check);
    config.routes.before(API + "/*", this::limitActions);
    config.routes.get(API + "/cluster", this::cluster);
    config.routes.get(API + "/jobs", this::jobs);
    config.routes.get(API + "/jobs/{jobId}", this::job);
    config.routes.get(API + "/restorable", ctx -> ctx.json(new RestorableList(restorable.all())));
    eventRoutes.register(config.routes, API);
    savepointRoutes.register(config.routes, API);
    healthRoutes.register(config.routes, API);
    jobRoutes.register(config.routes, API);
    config.routes.after(API + "/*", this::audit);
    config.routes.after(
        API + "/*",
        ctx -> {
          if (ctx.attribute(PERMIT) != null) {
            actions.release();
          }
        });
    config.jetty.modifyServer(
        server ->
            server.addEventListener(
                new org.eclipse.jetty.util.component.LifeCycle.Listener() {
                  @Override
                  public void lifeCycleStarting(org.eclipse.jetty.util.component.LifeCycle event) {
                    for (var connector : server.getConnectors()) {
                      if (connector instanceof ServerConnector c) {
                        c.setIdleTimeout(settings.idleTimeout().toMillis());
                      }
                    }
                  }
                }));

    config.routes.exception(
        ProblemException.class,
        (e, ctx) -> {
          if (e.retryAfterSeconds() > 0) {
            ctx.header("Retry-After", String.valueOf(e.retryAfterSeconds()));
          }
          problem(ctx, e.problem());
        });
    config.routes.exception(
        HttpResponseException.class,
        (e, ctx) ->
            problem(
                ctx,
                Problem.of(
                    e.getStatus(),
                    e.getStatus() == 413 ? "payload-too-large" : "http-" + e.getStatus(),
                    e.getStatus() == 413 ? "Payload too large" : "Request refused",
                    e.getStatus() == 413
                        ? "The body is larger than " + settings.maxBodyBytes() + " bytes."
                        : String.valueOf(e.getMessage()))));
    config.routes.exception(
        Exception.class,
        (e, ctx) -> {
          String correlationId = UUID.randomUUID().toString();
          LOG.error("Unexpected error on {} {} [{}]", ctx.method(), ctx.path(), correlationId, e);
          problem(
              ctx,
              Problem.of(
                      500,
                      "internal",
                      "Internal error",
                      "The sidecar failed unexpectedly; quote the correlation id when reporting it.")
                  .withCorrelationId(correlationId));
        });
    config.routes.error(
        404,
        ctx -> {
          if (!Problem.CONTENT_TYPE.equals(ctx.res().getContentType())) {
            problem(
                ctx,
                Problem.of(404, "not-found", "Not found", "No resource at " + ctx.path() + "."));
          }
        });
    config.routes.error(
        405,
        ctx ->
            problem(
                ctx,
                Problem.of(
                    405,
                    "method-not-allowed",
                    "Method not allowed",
                    ctx.method() + " is not allowed on " + ctx.path() + ".")));
  }

  /** Plain HTTP, or TLS from PEM files when they are configured. */
  private ServerConnector adminConnector(
      org.eclipse.jetty.server.Server server, HttpConfiguration httpConfig) {
    ServerConnector connector;
    if (settings.tls().isPresent()) {
      HttpConfiguration https = new HttpConfiguration(httpConfig);
      SecureRequestCustomizer secure = new SecureRequestCustomizer();
      secure.setSniHostCheck(false);
      https.addCustomizer(secure);
      connector =
          new ServerConnector(
              server,
              new SslConnectionFactory(settings.tls().get().factory(), "http/1.1"),
              new HttpConnectionFactory(https));
    } else {
      connector = new ServerConnector(server, new HttpConnectionFactory(httpConfig));
    }
    connector.setHost(settings.host());
    connector.setPort(settings.port());
    return connector;
  }

  public AdminApi start() {
    app.start();
    LOG.info("Admin API listening on {}:{}", settings.host(), app.port());
    push.ifPresent(p -> LOG.info("Accepting the JobManager's pushes on {}:{}", p.host(), p.port()));
    return this;
  }

  /** Replaces the accepted tokens, for example after the tokens file changed. */
  public void replaceTokens(Map<String, ApiRole> tokens) {
    auth.replace(tokens);
  }

  /** Every HTTP route the server has, as "METHOD path". */
  List<String> routes() {
    return app.unsafe.internalRouter.allHttpHandlers().stream()
        .map(parsed -> parsed.endpoint)
        .filter(e -> e.method.isHttpMethod())
        .map(e -> e.method.name() + " " + e.path)
        .sorted()
        .toList();
  }

  /** The contract, built when it is first asked for rather than at start. */
  private Map<String, Object> openApi() {
    Map<String, Object> doc = openApi;
    if (doc == null) {
      doc = OpenApiDocument.build(); // two first requests may both build it; either will do
      openApi = doc;
    }
    return doc;
  }

  /** The port actually bound (useful with port 0). */
  public int port() {
    return app.port();
  }

  private void readyz(Context ctx) {
    ClusterSnapshot snapshot = state.snapshot();
    java.util.Optional<String> recordProblem = record.status().problem();
    if (recordProblem.isEmpty()
        && snapshot.leadership().role() == dev.flinksupervisor.supervision.Role.ACTIVE
        && !record.canAct()) {
      recordProblem =
          java.util.Optional.of(
              "This sidecar became ACTIVE and is reading its record before it acts");
    }
    Readiness readiness =
        Readiness.of(snapshot, clock.instant(), settings.staleAfter(), recordProblem);
    ctx.status(readiness.ready() ? 200 : 503)
        .json(new ReadyJson(readiness.ready(), readiness.reason()));
  }

  private void cluster(Context ctx) {
    ClusterSnapshot snapshot = state.snapshot();
    ctx.json(
        ClusterJson.of(
            settings.clusterId(),
            settings.namespace(),
            snapshot,
            freshness(snapshot),
            record.status()));
  }

  private void jobs(Context ctx) {
    ClusterSnapshot snapshot = state.snapshot();
    send(ctx, views.jobList(snapshot, freshness(snapshot)));
  }

  /** A tagged view: {@code 304} without a body when the client's tag still matches. */
  private static void send(Context ctx, ConditionalViews.Rendered view) {
    ctx.header("ETag", view.etag());
    ctx.header("Cache-Control", "no-cache");
    if (ConditionalViews.notModified(ctx.header("If-None-Match"), view.etag())) {
      ctx.status(304);
      return;
    }
    ctx.contentType("application/json").result(view.body());
  }

  private void job(Context ctx) {
    String jobId = ctx.pathParam("jobId");
    ClusterSnapshot snapshot = state.snapshot();
    JobView view = snapshot.jobs().get(jobId);
    if (view == null) {
      throw ProblemException.notFound("Job", "No job with id '" + jobId + "' is known.");
    }
    Freshness freshness = freshness(snapshot);
    JobJson job = JobJson.of(view, freshness);
    var slots = jobRoutes.slotsOf(jobId);
    send(ctx, views.job(job, slots, new JobDetailJson(job, slots, freshness)));
  }

  /**
   * Every request, timed by method, route (the matched path, not the URL) and status; each timer is
   * looked up in the registry once, not on every request.
   */
  private void timeRequest(Context ctx, Float millis) {
    Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
    String route = matched == null ? "unmatched" : matched.path;
    String method = ctx.method().name();
    int status = ctx.statusCode();
    requestTimers
        .computeIfAbsent(
            method + ' ' + route + ' ' + status,
            key ->
                Timer.builder("http.server.requests")
                    .description("Requests to the admin API")
                    .tags("method", method, "route", route, "status", String.valueOf(status))
                    .register(metrics.registry()))
        .record((long) (millis * 1_000_000L), java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  /** The newest restorable state of every job, from the sidecar's record. */
  record RestorableList(List<RestorableRecord.Entry> jobs) {}

  /** At most {@code maxConcurrentActions} calls that change something run at once; 429 else. */
  private void limitActions(Context ctx) {
    String method = ctx.method().name();
    if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")) {
      return;
    }
    if (!actions.tryAcquire()) {
      throw new ProblemException(
          Problem.of(
              429,
              "too-many-actions",
              "Too many actions at once",
              "At most "
                  + settings.maxConcurrentActions()
                  + " calls that change something run at once; try again shortly."));
    }
    ctx.attribute(PERMIT, Boolean.TRUE);
  }

  /** One structured log line and one event for every mutating call, whatever its outcome. */
  private void audit(Context ctx) {
    String method = ctx.method().name();
    if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")) {
      return;
    }
    String caller = ctx.attribute(BearerTokenAuth.CALLER);
    String jobId = ctx.pathParamMap().get("jobId");
    int status = ctx.statusCode();
    AUDIT.info(
        "caller={} action=\"{} {}\" job={} status={}",
        caller == null ? "anonymous" : caller,
        method,
        ctx.path(),
        jobId == null ? "-" : jobId,
        status);
    events.record(
        EventTypes.ADMIN_ACTION,
        status < 400 ? Severity.INFO : Severity.WARNING,
        jobId,
        method
            + " "
            + ctx.path()
            + " by "
            + (caller == null ? "anonymous" : caller)
            + ": "
            + status);
  }

  private Freshness freshness(ClusterSnapshot snapshot) {
    return Freshness.of(snapshot, clock.instant(), settings.staleAfter());
  }

  private static void problem(Context ctx, Problem problem) {
    if (problem.status() == 401) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"flink-supervisor\"");
    }
    ctx.status(problem.status()).json(problem).contentType(Problem.CONTENT_TYPE);
  }

  @Override
  public void close() {
    app.stop();
  }
}
