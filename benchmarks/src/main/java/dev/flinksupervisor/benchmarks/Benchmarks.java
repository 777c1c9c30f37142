package dev.flinksupervisor.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.flinksupervisor.benchmarks.Benchmark.Mode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs every benchmark, prints the figures as a table and writes them to {@code
 * benchmarks/results/latest.json} (one object per figure), with the machine and the mode in {@code
 * machine.json} and the table in {@code latest.md}. Run from the repository root after {@code
 * ./mvnw -B -DskipTests package}:
 *
 * <pre>java -jar benchmarks/target/flink-supervisor-benchmarks.jar [--quick]</pre>
 *
 * <p>A benchmark that fails is recorded as a figure with its error and the others still run; the
 * exit code is 1 when one failed. A missed target is a result, not a failure.
 */
public final class Benchmarks {
  static final Path SIDECAR_JAR = Path.of("supervisor", "target", "flink-supervisor.jar");
  static final String USAGE =
      """
      Usage: java -jar benchmarks/target/flink-supervisor-benchmarks.jar [--quick] [--only NAME,...] [--out DIR]
        --quick   shorter windows and fewer repetitions: checks that everything works (under 5 minutes)
        --only    run only these benchmarks: %s
        --out     where latest.json, latest.md and machine.json go (default benchmarks/results)
        --sidecar-flags "FLAGS"
                  JVM flags for the sidecar and the floor instead of the image's, to try others
      Run it from the repository root, after ./mvnw -B -DskipTests package.
      """;

  private Benchmarks() {}

  /** The parsed command line. */
  record Options(Mode mode, Set<String> only, Path out, List<String> sidecarFlags) {
    static Options parse(String[] args, List<String> known) {
      Mode mode = Mode.FULL;
      Set<String> only = new LinkedHashSet<>();
      Path out = Path.of("benchmarks", "results");
      List<String> sidecarFlags = null;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--quick" -> mode = Mode.QUICK;
          case "--only" -> {
            if (i + 1 == args.length) {
              throw new IllegalArgumentException("--only needs a list of benchmark names");
            }
            for (String name : args[++i].split(",")) {
              if (!known.contains(name.trim())) {
                throw new IllegalArgumentException(
                    "Unknown benchmark '" + name + "'; known: " + String.join(", ", known));
              }
              only.add(name.trim());
            }
          }
          case "--out" -> {
            if (i + 1 == args.length) {
              throw new IllegalArgumentException("--out needs a directory");
            }
            out = Path.of(args[++i]);
          }
          case "--sidecar-flags" -> {
            if (i + 1 == args.length || args[i + 1].isBlank()) {
              throw new IllegalArgumentException("--sidecar-flags needs the JVM flags");
            }
            sidecarFlags = List.of(args[++i].trim().split("\\s+"));
          }
          default -> throw new IllegalArgumentException("Unknown argument '" + args[i] + "'");
        }
      }
      return new Options(mode, only, out, sidecarFlags);
    }
  }

  /** The benchmarks in the order they run: the quietest first, the destructive (failover) last. */
  static List<Benchmark> all(Lab lab) {
    return List.of(
        new CycleCostBenchmark(),
        new StartToReadyBenchmark(lab),
        new FootprintBenchmark(lab),
        new KubernetesRequestsBenchmark(lab),
        new AdminApiBenchmark(lab),
        new SavepointBenchmark(lab),
        new DetectionLatencyBenchmark(lab),
        new PollCostBenchmark(lab),
        new FailoverBenchmark(lab));
  }

  public static void main(String[] args) throws Exception {
    Path workDir = Files.createTempDirectory("flink-supervisor-benchmarks");
    // Before anything logs: the benchmark's own log goes to a file, the console keeps the table.
    System.setProperty("benchmarks.log", workDir.resolve("benchmarks.log").toString());
    Lab lab = new Lab(workDir, SIDECAR_JAR);
    List<String> names = all(lab).stream().map(Benchmark::name).toList();
    Options options;
    try {
      options = Options.parse(args, names);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.print(USAGE.formatted(String.join(", ", names)));
      System.exit(2);
      return;
    }
    if (options.sidecarFlags() != null) {
      SidecarProcess.useJvmFlags(options.sidecarFlags());
    }
    if (!Files.isRegularFile(SIDECAR_JAR)) {
      System.err.println(
          "Missing "
              + SIDECAR_JAR
              + " (in "
              + Path.of("").toAbsolutePath()
              + "): run this from the repository root after ./mvnw -B -DskipTests package.");
      System.exit(2);
      return;
    }
    System.exit(run(options, lab));
  }

  static int run(Options options, Lab lab) throws IOException {
    Map<String, Object> machine = Machine.describe();
    Instant started = Instant.now();
    System.out.printf(
        "flink-supervisor benchmarks, %s run, on %s%nWorking directory: %s%n",
        options.mode().name().toLowerCase(), Machine.summary(machine), lab.workDir());
    List<Figure> figures = new ArrayList<>();
    List<String> ran = new ArrayList<>();
    boolean failed = false;
    try (lab) {
      for (Benchmark benchmark : all(lab)) {
        if (!options.only().isEmpty() && !options.only().contains(benchmark.name())) {
          continue;
        }
        ran.add(benchmark.name());
        System.out.printf("%n== %s%n", benchmark.name());
        long start = System.nanoTime();
        try {
          figures.addAll(benchmark.run(options.mode()));
        } catch (Exception | Error e) {
          failed = true;
          System.out.println("  FAILED: " + e);
          e.printStackTrace(System.out);
          figures.add(Figure.failed(benchmark.name(), e));
        }
        System.out.printf("  (%s s)%n", Numbers.format((System.nanoTime() - start) / 1e9));
      }
    }
    Duration took = Duration.between(started, Instant.now());

    Map<String, Object> run = new LinkedHashMap<>();
    run.put("mode", options.mode().name().toLowerCase());
    run.put("started_at", started.toString());
    run.put("duration_s", took.toSeconds());
    run.put("benchmarks", ran);
    run.put("machine", machine);
    run.put("sidecar_jvm_flags", SidecarProcess.jvmFlags());
    run.put("flink_version", org.apache.flink.runtime.util.EnvironmentInformation.getVersion());
    write(options.out(), figures, run);

    String table = ResultTable.text(figures);
    System.out.printf(
        "%n%s run on %s, %s s:%n%n%s%nWritten to %s%n",
        options.mode().name().toLowerCase(),
        Machine.summary(machine),
        took.toSeconds(),
        table,
        options.out().resolve("latest.json"));
    if (failed) {
      System.out.println("Logs kept in " + lab.workDir());
    } else {
      lab.deleteWorkDir();
    }
    return failed ? 1 : 0;
  }

  static void write(Path out, List<Figure> figures, Map<String, Object> run) throws IOException {
    Files.createDirectories(out);
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    Files.writeString(out.resolve("latest.json"), json.writeValueAsString(figures) + "\n");
    Files.writeString(out.resolve("machine.json"), json.writeValueAsString(run) + "\n");
    Files.writeString(
        out.resolve("latest.md"),
        "<!-- "
            + run.get("mode")
            + " run of "
            + run.get("started_at")
            + " on "
            + Machine.summary(castMachine(run.get("machine")))
            + " -->\n"
            + ResultTable.markdown(figures));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMachine(Object machine) {
    return (Map<String, Object>) machine;
  }
}
