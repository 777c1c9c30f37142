package dev.flinksupervisor.api;

import dev.flinksupervisor.api.auth.AuthMethods;
import dev.flinksupervisor.config.ConfigException;
import dev.flinksupervisor.config.SupervisorConfig;
import dev.flinksupervisor.config.SupervisorOptions;
import dev.flinksupervisor.jobs.Jobs;
import dev.flinksupervisor.metrics.MetricsSetup;
import dev.flinksupervisor.push.PushHints;
import dev.flinksupervisor.savepoints.SavepointService;
import dev.flinksupervisor.store.RecordState;
import dev.flinksupervisor.supervision.ClusterState;
import dev.flinksupervisor.supervision.EventLog;
import dev.flinksupervisor.supervision.HealthPolicies;
import dev.flinksupervisor.supervision.RestorableRecord;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.util.concurrent.ExecutorThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API as the sidecar runs it: tokens from the configuration and the tokens file, TLS from
 * PEM files, and a thread of its own that reloads both when they change.
 */
public final class AdminServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
  private final AdminApi api;
  private final ScheduledExecutorService reloads;
  private final List<AutoCloseable> authResources;

  private AdminServer(
      AdminApi api, ScheduledExecutorService reloads, List<AutoCloseable> authResources) {
    this.api = api;
    this.reloads = reloads;
    this.authResources = authResources;
  }

  public static AdminServer start(
      SupervisorConfig config,
      ClusterState state,
      EventLog events,
      SavepointService savepoints,
      HealthPolicies health,
      Jobs jobs,
      RestorableRecord restorable,
      RecordState record,
      MetricsSetup metrics,
      PushHints pushHints,
      Clock clock) {
    Map<String, ApiRole> fixedTokens = new LinkedHashMap<>();
    config
        .getOptional(SupervisorOptions.ADMIN_TOKEN)
        .ifPresent(token -> fixedTokens.put(token, ApiRole.OPERATOR));
    config
        .getOptional(SupervisorOptions.VIEWER_TOKEN)
        .ifPresent(token -> fixedTokens.put(token, ApiRole.VIEWER));
    Optional<Path> tokensFile = config.getOptional(SupervisorOptions.TOKENS_FILE).map(Path::of);
    Optional<PemTls> tls = tls(config);
    List<AutoCloseable> authResources = new ArrayList<>();
    AuthMethods authMethods = AuthConfig.methods(config, tls, clock, authResources);
    AuthConfig.warnOfExposure(config, tls);
    if (tokensFile.isEmpty()
        && !fixedTokens.containsValue(ApiRole.OPERATOR)
        && !AuthConfig.grantsOperator(config)) {
      throw new ConfigException(
          "Set 'admin.token' (SUPERVISOR_ADMIN_TOKEN) or 'admin.tokens-file', or another way to"
              + " authenticate (auth.mtls.*, auth.oidc.*, auth.kubernetes.enabled): the admin API"
              + " needs at least one operator.");
    }
    AtomicReference<AdminApi> apiRef = new AtomicReference<>();
    Optional<TokenFileWatcher> tokenWatcher =
        tokensFile.map(
            file -> new TokenFileWatcher(file, fixedTokens, t -> apiRef.get().replaceTokens(t)));
    Map<String, ApiRole> tokens;
    try {
      tokens = tokenWatcher.isPresent() ? tokenWatcher.get().load() : fixedTokens;
    } catch (Exception e) {
      throw new ConfigException("Option 'admin.tokens-file': " + e.getMessage(), e);
    }
    Optional<PushTokenFile> pushToken =
        config
            .getOptional(SupervisorOptions.PUSH_TOKEN_FILE)
            .map(f -> new PushTokenFile(Path.of(f)));
    Optional<PushRoutes> push;
    try {
      push =
          pushToken.map(
              file ->
                  new PushRoutes(
                      config.get(SupervisorOptions.PUSH_HOST),
                      config.get(SupervisorOptions.PUSH_PORT),
                      file.load(),
                      pushHints));
    } catch (java.io.UncheckedIOException | IllegalArgumentException e) {
      throw new ConfigException("Option 'push.token-file': " + e.getMessage(), e);
    }
    AdminApi api =
        new AdminApi(
            new AdminApi.Settings(
                config.get(SupervisorOptions.API_HOST),
                config.get(SupervisorOptions.API_PORT),
                tokens,
                config.get(SupervisorOptions.CLUSTER_ID),
                config.get(SupervisorOptions.NAMESPACE),
                config.get(SupervisorOptions.STALE_AFTER),
                config.get(SupervisorOptions.METRICS_REQUIRE_TOKEN),
                config.get(SupervisorOptions.API_MAX_BODY_BYTES),
                tls,
                config.get(SupervisorOptions.API_MAX_CONCURRENT_ACTIONS),
                config.get(SupervisorOptions.API_IDLE_TIMEOUT),
                config.get(SupervisorOptions.MAX_UPLOAD_BYTES),
                config.get(SupervisorOptions.API_MAX_EVENT_STREAMS),
                config.get(SupervisorOptions.API_EVENT_STREAM_QUEUE),
                authMethods),
            state,
            events,
            savepoints,
            health,
            jobs.service(),
            jobs.recovery(),
            jobs.reprofiler(),
            restorable,
            record,
            metrics,
            clock,
            push);
    apiRef.set(api);
    api.start();
    List<String> methods = new ArrayList<>();
    authMethods.certificates().ifPresent(a -> methods.add(a.description()));
    methods.add(
        tokens.size()
            + " static bearer token(s)"
            + (tokensFile.isPresent() ? " (with the tokens file's)" : ""));
    authMethods.oidc().ifPresent(a -> methods.add(a.description()));
    authMethods.kubernetes().ifPresent(a -> methods.add(a.description()));
    LOG.info("Admin API authentication, tried in this order: {}", String.join("; ", methods));
    ScheduledExecutorService reloads =
        Executors.newSingleThreadScheduledExecutor(new ExecutorThreadFactory("admin-api-reload"));
    tls.ifPresent(
        t -> {
          long every = config.get(SupervisorOptions.TLS_RELOAD_INTERVAL).toMillis();
          reloads.scheduleWithFixedDelay(t::reloadIfChanged, every, every, TimeUnit.MILLISECONDS);
        });
    tokenWatcher.ifPresent(
        watcher -> {
          long every = config.get(SupervisorOptions.TOKENS_RELOAD_INTERVAL).toMillis();
          reloads.scheduleWithFixedDelay(watcher::poll, every, every, TimeUnit.MILLISECONDS);
        });
    PushRoutes pushRoutes = push.orElse(null);
    pushToken.ifPresent(
        file -> {
          long every = config.get(SupervisorOptions.TOKENS_RELOAD_INTERVAL).toMillis();
          reloads.scheduleWithFixedDelay(
              () -> file.poll(pushRoutes::replaceToken), every, every, TimeUnit.MILLISECONDS);
        });
    return new AdminServer(api, reloads, authResources);
  }

  static Optional<PemTls> tls(SupervisorConfig config) {
    Optional<String> certificate = config.getOptional(SupervisorOptions.TLS_CERTIFICATE);
    Optional<String> key = config.getOptional(SupervisorOptions.TLS_KEY);
    if (certificate.isEmpty() && key.isEmpty()) {
      if (config.getOptional(SupervisorOptions.TLS_CLIENT_CA).isPresent()) {
        throw new ConfigException(
            "Option 'api.tls.client-ca-file' needs TLS: set 'api.tls.certificate-file' and"
                + " 'api.tls.key-file' too.");
      }
      return Optional.empty();
    }
    if (certificate.isEmpty() || key.isEmpty()) {
      throw new ConfigException(
          "Options 'api.tls.certificate-file' and 'api.tls.key-file' go together; set both or"
              + " neither.");
    }
    Optional<PemTls.ClientAuth> clientAuth =
        config
            .getOptional(SupervisorOptions.TLS_CLIENT_CA)
            .map(
                ca ->
                    new PemTls.ClientAuth(
                        Path.of(ca), config.get(SupervisorOptions.TLS_CLIENT_AUTH)));
    try {
      return Optional.of(new PemTls(Path.of(certificate.get()), Path.of(key.get()), clientAuth));
    } catch (Exception e) {
      throw new ConfigException(
          "Option 'api.tls.key-file'/'api.tls.certificate-file'"
              + (clientAuth.isPresent() ? "/'api.tls.client-ca-file'" : "")
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /** The admin API's bound port. */
  public int port() {
    return api.port();
  }

  @Override
  public void close() throws InterruptedException {
    reloads.shutdownNow();
    reloads.awaitTermination(5, TimeUnit.SECONDS);
    api.close();
    for (AutoCloseable resource : authResources) {
      try {
        resource.close();
      } catch (Exception e) {
        LOG.warn("Closing {} failed: {}", resource, e.toString());
      }
    }
  }
}
