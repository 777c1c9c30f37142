package dev.flinksupervisor.cli;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The on-call command line over a running sidecar's admin API: {@code flink-supervisor jobs},
 * {@code job ID}, {@code savepoint ID}, {@code stop ID}, {@code submit}, {@code reprofile ID},
 * {@code events}, {@code cluster}. {@link #run} takes the arguments and answers with the exit code
 * ({@link ExitCodes}); it never calls {@link System#exit}, so tests run it in-process.
 */
public final class Cli {
  /** The names of the commands, for {@code Main} to hand them here. */
  public static final Set<String> COMMANDS =
      Arrays.stream(Command.values())
          .map(Command::commandName)
          .collect(Collectors.toUnmodifiableSet());

  /** The lines of the top-level usage that list the commands. */
  public static final String USAGE = Command.OVERVIEW;

  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> env;
  private final boolean terminal;
  private final Clock clock;
  private volatile Commands running;
  private volatile boolean stopRequested;

  /** A command line writing to {@code out} and {@code err}, with {@code env} as its environment. */
  public Cli(PrintStream out, PrintStream err, Map<String, String> env) {
    this(out, err, env, false, Clock.systemUTC());
  }

  /**
   * @param terminal whether stderr is a terminal: progress is then redrawn in place
   */
  public Cli(
      PrintStream out, PrintStream err, Map<String, String> env, boolean terminal, Clock clock) {
    this.out = out;
    this.err = err;
    this.env = Map.copyOf(env);
    this.terminal = terminal;
    this.clock = clock;
  }

  /** The command line of the jar: {@code java -jar flink-supervisor.jar jobs}. */
  public static int main(String[] args) {
    return new Cli(
            System.out, System.err, System.getenv(), System.console() != null, Clock.systemUTC())
        .run(args);
  }

  /** Runs one command; returns its exit code. */
  public int run(String... args) {
    Optional<Command> command = args.length == 0 ? Optional.empty() : Command.named(args[0]);
    if (command.isEmpty()) {
      err.println(
          args.length == 0
              ? "error: no command given"
              : "error: unknown command '" + args[0] + "'");
      err.print(USAGE);
      err.flush();
      return ExitCodes.USAGE;
    }
    List<String> rest = List.of(args).subList(1, args.length);
    try {
      CliArgs parsed;
      try {
        parsed = CliArgs.parse(command.get().commandName(), rest, command.get().spec());
      } catch (CliException e) {
        if (rest.contains("--help") || rest.contains("-h")) {
          out.print(command.get().help());
          return ExitCodes.OK;
        }
        throw e;
      }
      if (parsed.flag("help")) {
        out.print(command.get().help());
        return ExitCodes.OK;
      }
      Connection connection = Connection.resolve(parsed, env);
      Commands commands =
          new Commands(new ApiClient(connection, REQUEST_TIMEOUT), out, err, terminal, clock);
      running = commands;
      if (stopRequested) {
        commands.stop();
      }
      return commands.run(command.get(), parsed);
    } catch (CliException e) {
      err.println(e.getMessage());
      return e.exitCode();
    } catch (RuntimeException e) {
      // Not ours to expect; its message names no token (none of ours carries one).
      err.println(Problems.oneLine("error: " + ApiClient.describe(e)));
      return ExitCodes.FAILED;
    } finally {
      running = null;
      out.flush();
      err.flush();
    }
  }

  /**
   * Ends a running {@code events --follow} (its {@link #run} then returns 0), as Ctrl-C ends it at
   * a terminal; for callers that run the command line in-process, such as tests.
   */
  public void stop() {
    stopRequested = true;
    Commands commands = running;
    if (commands != null) {
      commands.stop();
    }
  }
}
