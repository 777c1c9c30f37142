package dev.flinksupervisor.api;

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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.util.concurrent.ExecutorThreadFactory;

/**
 * The admin API as the sidecar runs it: tokens from the configuration and the tokens file, TLS from
 * PEM files, and a thread of its own that reloads both when they change.
 */
public final class AdminServer implements AutoCloseable {
  private final AdminApi api;
  private final ScheduledExecutorService reloads;

  private AdminServer(AdminApi api, ScheduledExecutorService reloads) {
    this.api = api;
    this.reloads = reloads;
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
    if (tokensFile.isEmpty() && !fixedTokens.containsValue(ApiRole.OPERATOR)) {
      throw new ConfigException(
          "Set 'admin.token' (SUPERVISOR_ADMIN_TOKEN) or 'admin.tokens-file': the admin API needs"
              + " at least one operator token.");
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
    Optional<PemTls> tls = tls(config);
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
                config.get(SupervisorOptions.API_EVENT_STREAM_QUEUE)),
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
    return new AdminServer(api, reloads);
  }

  private static Optional<PemTls> tls(SupervisorConfig config) {
    Optional<String> certificate = config.getOptional(SupervisorOptions.TLS_CERTIFICATE);
    Optional<String> key = config.getOptional(SupervisorOptions.TLS_KEY);
    if (certificate.isEmpty() && key.isEmpty()) {
      return Optional.empty();
    }
    if (certificate.isEmpty() || key.isEmpty()) {
      throw new ConfigException(
          "Options 'api.tls.certificate-file' and 'api.tls.key-file' go together; set both or"
              + " neither.");
    }
    try {
      return Optional.of(new PemTls(Path.of(certificate.get()), Path.of(key.get())));
    } catch (Exception e) {
      throw new ConfigException(
          "Option 'api.tls.key-file'/'api.tls.certificate-file': " + e.getMessage(), e);
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
  }
}
