package dev.flinksupervisor.benchmarks;

import java.util.List;

/** One measurement of the sidecar against its reference, run side by side. */
public interface Benchmark {

  /** A short name, also accepted by {@code --only}. */
  String name();

  /** Runs the benchmark and returns its figures; a failure is recorded, not fatal to the run. */
  List<Figure> run(Mode mode) throws Exception;

  /** How long the run may take: a quick check that everything works, or the full measurement. */
  enum Mode {
    QUICK,
    FULL;

    /** {@code quick} in a quick run, {@code full} otherwise. */
    public <T> T pick(T quick, T full) {
      return this == QUICK ? quick : full;
    }

    public int pick(int quick, int full) {
      return this == QUICK ? quick : full;
    }
  }
}
