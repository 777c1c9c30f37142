package dev.flinksupervisor.testing;

import dev.flinksupervisor.demo.Await;
import dev.flinksupervisor.demo.EmbeddedFlink;
import dev.flinksupervisor.demo.KubernetesApi;
import dev.flinksupervisor.demo.job.DemoJob;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.kubernetes.configuration.KubernetesHighAvailabilityOptions;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint;
import org.apache.flink.runtime.taskexecutor.TaskManagerRunner;
import org.apache.flink.runtime.util.config.memory.ProcessMemoryUtils;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.util.ParameterTool;

/**
 * A Flink session cluster of real processes started from the Maven classpath: JobManagers ({@link
 * StandaloneSessionClusterEntrypoint}) and a TaskManager ({@link TaskManagerRunner}), with
 * Kubernetes HA on the given Kubernetes API and short leases so that failovers take seconds.
 */
public final class FlinkProcessCluster implements AutoCloseable {

  /** One JobManager process; its REST endpoint is {@code http://127.0.0.1:restPort}. */
  public record JobManager(int index, int restPort, Process process, Path log) {
    public String restUrl() {
      return "http://127.0.0.1:" + restPort;
    }

    public String ownAddress() {
      return "127.0.0.1:" + restPort;
    }
  }

  private final Path workDir;
  private final Configuration base;
  private final List<JobManager> jobManagers = new ArrayList<>();
  private final List<Process> taskManagers = new ArrayList<>();
  private Path pluginsDir;

  /** Lease timings of Flink's Kubernetes leader election: duration, renew deadline, retry. */
  public record Leases(Duration duration, Duration renewDeadline, Duration retryPeriod) {
    /** Short leases: a killed leader is replaced within seconds. */
    public static final Leases SHORT =
        new Leases(Duration.ofSeconds(6), Duration.ofSeconds(5), Duration.ofSeconds(1));
  }

  public FlinkProcessCluster(Path workDir, KubernetesApi kubernetes, String clusterId) {
    this(workDir, kubernetes, clusterId, Leases.SHORT);
  }

  public FlinkProcessCluster(
      Path workDir, KubernetesApi kubernetes, String clusterId, Leases leases) {
    this(workDir, kubernetes, clusterId, leases, new Configuration());
  }

  /** A cluster whose processes have {@code overrides} on top of the settings above. */
  public FlinkProcessCluster(
      Path workDir,
      KubernetesApi kubernetes,
      String clusterId,
      Leases leases,
      Configuration overrides) {
    this.workDir = workDir;
    this.base =
        EmbeddedFlink.haConfiguration(
            clusterId, kubernetes.namespace(), kubernetes.kubeconfig(), workDir);
    base.set(KubernetesHighAvailabilityOptions.KUBERNETES_LEASE_DURATION, leases.duration());
    base.set(KubernetesHighAvailabilityOptions.KUBERNETES_RENEW_DEADLINE, leases.renewDeadline());
    base.set(KubernetesHighAvailabilityOptions.KUBERNETES_RETRY_PERIOD, leases.retryPeriod());
    base.set(TaskManagerOptions.NUM_TASK_SLOTS, 2);
    base.set(TaskManagerOptions.TOTAL_PROCESS_MEMORY, MemorySize.parse("1g"));
    base.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse("64m"));
    base.setString("heartbeat.timeout", "10s");
    base.setString("heartbeat.interval", "2s");
    base.addAll(overrides);
  }

  /**
   * Installs the plugins in a {@code plugins/} directory that the processes started from now on
   * load them from ({@code FLINK_PLUGINS_DIR}), as a Flink distribution would; the plugins are
   * taken off those processes' classpath.
   */
  public FlinkProcessCluster withPlugins(List<PluginJars.Plugin> plugins) throws IOException {
    pluginsDir = PluginJars.install(workDir.resolve("plugins"), plugins);
    return this;
  }

  public String haStorageDir() {
    return base.get(HighAvailabilityOptions.HA_STORAGE_PATH);
  }

  /** The configuration a client of this cluster uses. */
  public Configuration clientConfiguration() {
    return new Configuration(base);
  }

  public JobManager startJobManager() throws IOException {
    int index = jobManagers.size();
    int restPort = Ports.free();
    Configuration conf = new Configuration(base);
    conf.set(RestOptions.PORT, restPort);
    conf.set(RestOptions.BIND_PORT, String.valueOf(restPort));
    conf.set(JobManagerOptions.PORT, Ports.free());
    Path confDir = writeConfig("jm-" + index, conf);
    Path log = workDir.resolve("jm-" + index + ".log");
    Process process =
        start(StandaloneSessionClusterEntrypoint.class, List.of(), confDir, List.of(), log);
    JobManager jm = new JobManager(index, restPort, process, log);
    jobManagers.add(jm);
    return jm;
  }

  /**
   * Starts {@code jm} again as the same JobManager, with its configuration and ports, as Kubernetes
   * restarts a crashed container in its pod; its output is appended to the same log.
   */
  public JobManager restartJobManager(JobManager jm) throws IOException {
    if (jm.process().isAlive()) {
      throw new IllegalStateException("JobManager " + jm.index() + " is still running");
    }
    Process process =
        start(
            StandaloneSessionClusterEntrypoint.class,
            List.of(),
            workDir.resolve("conf-jm-" + jm.index()),
            List.of(),
            jm.log());
    JobManager restarted = new JobManager(jm.index(), jm.restPort(), process, jm.log());
    jobManagers.set(jobManagers.indexOf(jm), restarted);
    return restarted;
  }

  public Process startTaskManager() throws IOException {
    int index = taskManagers.size();
    Configuration conf = new Configuration(base);
    TaskExecutorProcessSpec spec = TaskExecutorProcessUtils.processSpecFromConfig(conf);
    List<String> jvmArgs = List.of(ProcessMemoryUtils.generateJvmParametersStr(spec).split(" "));
    List<String> dynamic =
        List.of(TaskExecutorProcessUtils.generateDynamicConfigsStr(spec).trim().split(" "));
    Path confDir = writeConfig("tm-" + index, conf);
    Process process =
        start(
            TaskManagerRunner.class,
            jvmArgs,
            confDir,
            dynamic,
            workDir.resolve("tm-" + index + ".log"));
    taskManagers.add(process);
    return process;
  }

  /** Submits the example job through the leader and returns its id. */
  public JobID submitDemoJob(String... args) throws Exception {
    ParameterTool params = ParameterTool.fromArgs(args);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    DemoJob.define(env, params);
    StreamGraph graph = env.getStreamGraph();
    graph.setJobName(params.get("name", DemoJob.DEFAULT_NAME));
    try (RestClusterClient<StandaloneClusterId> client =
        new RestClusterClient<>(clientConfiguration(), StandaloneClusterId.getInstance())) {
      return client.submitJob(graph.getJobGraph()).get();
    }
  }

  /**
   * What the job's current run restored, as its checkpoint statistics say, once its id is at least
   * {@code minId}; waits for it through leader changes.
   */
  public org.apache.flink.runtime.rest.messages.checkpoints.CheckpointingStatistics
          .RestoredCheckpointStatistics
      restoredCheckpoint(JobID jobId, long minId, Duration patience) throws Exception {
    try (RestClusterClient<StandaloneClusterId> client =
        new RestClusterClient<>(clientConfiguration(), StandaloneClusterId.getInstance())) {
      org.apache.flink.runtime.rest.messages.JobMessageParameters params =
          new org.apache.flink.runtime.rest.messages.JobMessageParameters();
      params.jobPathParameter.resolve(jobId);
      return Await.until(
          "the restored checkpoint in the statistics of job " + jobId,
          patience,
          () -> {
            try {
              var restored =
                  client
                      .sendRequest(
                          org.apache.flink.runtime.rest.messages.checkpoints
                              .CheckpointingStatisticsHeaders.getInstance(),
                          params,
                          org.apache.flink.runtime.rest.messages.EmptyRequestBody.getInstance())
                      .join()
                      .getLatestCheckpoints()
                      .getRestoredCheckpointStatistics();
              return restored != null && restored.getId() >= minId ? restored : null;
            } catch (java.util.concurrent.CompletionException e) {
              return null; // not running yet, or the leader is changing
            }
          });
    }
  }

  /** Kills the process with SIGKILL, as a crashed pod would die, and waits until it is gone. */
  public void kill(JobManager jm) throws Exception {
    jm.process().destroyForcibly();
    Await.until(
        "JobManager " + jm.index() + " to exit",
        Duration.ofSeconds(10),
        () -> jm.process().isAlive() ? null : Boolean.TRUE);
  }

  /** The last lines of every process's log, for failure messages. */
  public String logTails() {
    StringBuilder out = new StringBuilder();
    try (var files = Files.list(workDir)) {
      for (Path log : files.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
        List<String> lines = Files.readAllLines(log);
        out.append("==> ").append(log.getFileName()).append('\n');
        lines
            .subList(Math.max(0, lines.size() - 40), lines.size())
            .forEach(l -> out.append(l).append('\n'));
      }
    } catch (IOException e) {
      out.append("(logs unreadable: ").append(e).append(")");
    }
    return out.toString();
  }

  private Path writeConfig(String name, Configuration conf) throws IOException {
    Path dir = workDir.resolve("conf-" + name);
    Files.createDirectories(dir);
    Map<String, String> flat = conf.toMap();
    String yaml =
        flat.entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .map(e -> e.getKey() + ": \"" + e.getValue().replace("\"", "\\\"") + "\"")
            .collect(Collectors.joining("\n", "", "\n"));
    Files.writeString(dir.resolve("config.yaml"), yaml);
    Path log4j = dir.resolve("log4j2.properties");
    Files.writeString(
        log4j,
        """
        rootLogger.level = INFO
        rootLogger.appenderRef.console.ref = console
        appender.console.type = Console
        appender.console.name = console
        appender.console.layout.type = PatternLayout
        appender.console.layout.pattern = %d{HH:mm:ss,SSS} %-5p %c{1} - %m%n
        """);
    return dir;
  }

  private Process start(
      Class<?> main, List<String> jvmArgs, Path confDir, List<String> dynamic, Path log)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    command.add("-XX:+UseSerialGC");
    command.add("-Dlog4j2.configurationFile=" + confDir.resolve("log4j2.properties"));
    command.add("-cp");
    command.add(
        java.util.Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(entry -> !PluginJars.isPluginEntry(entry) && !isJobJarsOwn(entry))
            .collect(Collectors.joining(File.pathSeparator)));
    command.add(main.getName());
    command.add("--configDir");
    command.add(confDir.toString());
    command.addAll(dynamic);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().remove("FLINK_PLUGINS_DIR");
    if (pluginsDir != null) {
      builder.environment().put("FLINK_PLUGINS_DIR", pluginsDir.toString());
    }
    return builder.start();
  }

  /**
   * What a job jar brings and Flink's own {@code lib/} does not hold: Kafka's client and server,
   * the Kafka connector, Scala, and the example pipeline's classes. Left on the processes'
   * classpath, Flink would load the connector's classes from there (they are under {@code
   * org.apache.flink.}, loaded parent-first) and Kafka's from the job jar, and the two would not
   * fit.
   */
  static boolean isJobJarsOwn(String entry) {
    String path = entry.replace(File.separatorChar, '/');
    return path.contains("/org/apache/kafka/")
        || path.contains("/flink-connector-kafka/")
        || path.contains("/org/scala-lang/")
        || path.contains("/pipeline-job/")
        || path.contains("/flink-supervisor-pipeline-job/");
  }

  @Override
  public void close() {
    for (JobManager jm : jobManagers) {
      jm.process().destroyForcibly();
    }
    for (Process tm : taskManagers) {
      tm.destroyForcibly();
    }
    for (JobManager jm : jobManagers) {
      waitQuietly(jm.process());
    }
    taskManagers.forEach(FlinkProcessCluster::waitQuietly);
  }

  private static void waitQuietly(Process process) {
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
