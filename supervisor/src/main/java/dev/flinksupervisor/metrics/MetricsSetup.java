package dev.flinksupervisor.metrics;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.registry.otlp.OtlpConfig;
import io.micrometer.registry.otlp.OtlpMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sidecar's meter registries: Prometheus text for scraping and, when enabled, OTLP push; both
 * are fed from the same meters. The cluster's Kubernetes identity is attached: as labels in
 * Prometheus, as resource attributes in OTLP.
 */
public final class MetricsSetup implements AutoCloseable {
  /** Where OTLP goes and how; unset values fall back to the standard OTEL_* variables. */
  public record Otlp(
      boolean enabled,
      Optional<String> url,
      Duration step,
      Map<String, String> headers,
      Map<String, String> resourceAttributes) {}

  private final CompositeMeterRegistry registry = new CompositeMeterRegistry();
  private final PrometheusMeterRegistry prometheus;
  private final OtlpMeterRegistry otlp;
  private final List<AutoCloseable> binders = new ArrayList<>();

  /**
   * The registries as the sidecar configures them: identified by namespace, pod (the host name
   * unless {@code metrics.pod-name} is set) and cluster id.
   */
  public static MetricsSetup fromConfig(dev.flinksupervisor.config.SupervisorConfig config) {
    Map<String, String> identity = new java.util.LinkedHashMap<>();
    identity.put(
        "k8s.namespace.name", config.get(dev.flinksupervisor.config.SupervisorOptions.NAMESPACE));
    identity.put(
        "k8s.pod.name",
        config
            .getOptional(dev.flinksupervisor.config.SupervisorOptions.METRICS_POD_NAME)
            .orElseGet(MetricsSetup::hostName));
    identity.put(
        "flink.cluster.id", config.get(dev.flinksupervisor.config.SupervisorOptions.CLUSTER_ID));
    return new MetricsSetup(
        identity,
        new Otlp(
            config.get(dev.flinksupervisor.config.SupervisorOptions.OTLP_ENABLED),
            config.getOptional(dev.flinksupervisor.config.SupervisorOptions.OTLP_URL),
            config.get(dev.flinksupervisor.config.SupervisorOptions.OTLP_STEP),
            config
                .getOptional(dev.flinksupervisor.config.SupervisorOptions.OTLP_HEADERS)
                .orElse(Map.of()),
            config
                .getOptional(dev.flinksupervisor.config.SupervisorOptions.OTLP_RESOURCE_ATTRIBUTES)
                .orElse(Map.of())));
  }

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "unknown";
    }
  }

  public MetricsSetup(Map<String, String> identity, Otlp otlpSettings) {
    List<Tag> tags =
        identity.entrySet().stream().map(e -> Tag.of(e.getKey(), e.getValue())).toList();
    prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    prometheus.config().commonTags(tags);
    // Names Prometheus' own checks (promtool check metrics) accept: the JVM's CPU time in
    // nanoseconds is left out (process_cpu_usage says as much), and the processor count is not
    // called a "_count", which Prometheus keeps for histograms and summaries.
    registry.config().meterFilter(MeterFilter.denyNameStartsWith("process.cpu.time"));
    registry
        .config()
        .meterFilter(
            new MeterFilter() {
              @Override
              public Meter.Id map(Meter.Id id) {
                return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
              }
            });
    registry.add(prometheus);
    if (otlpSettings.enabled()) {
      Map<String, String> resource = new LinkedHashMap<>();
      resource.put("service.name", "flink-supervisor");
      resource.putAll(identity);
      resource.putAll(otlpSettings.resourceAttributes());
      Map<String, String> values = new HashMap<>();
      otlpSettings.url().ifPresent(url -> values.put("otlp.url", url));
      values.put("otlp.step", otlpSettings.step().toMillis() + "ms");
      if (!otlpSettings.headers().isEmpty()) {
        values.put("otlp.headers", join(otlpSettings.headers()));
      }
      values.put("otlp.resourceAttributes", join(resource));
      OtlpConfig config = values::get;
      otlp = new OtlpMeterRegistry(config, Clock.SYSTEM);
      registry.add(otlp);
    } else {
      otlp = null;
    }
    new JvmMemoryMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    binders.add(gc);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
  }

  private static String join(Map<String, String> map) {
    StringBuilder out = new StringBuilder();
    map.forEach(
        (k, v) -> {
          if (out.length() > 0) {
            out.append(',');
          }
          out.append(k).append('=').append(v);
        });
    return out.toString();
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    return prometheus.scrape();
  }

  @Override
  public void close() {
    for (AutoCloseable binder : binders) {
      try {
        binder.close();
      } catch (Exception ignored) {
        // closing a binder only stops its listeners
      }
    }
    if (otlp != null) {
      otlp.close(); // publishes what is left
    }
    registry.close();
  }
}
