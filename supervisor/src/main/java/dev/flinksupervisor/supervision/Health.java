package dev.flinksupervisor.supervision;

import java.util.List;

/**
 * A job's health verdict and the reasons for it, each with a machine-readable code and a sentence
 * an on-call engineer can act on. The verdict is the worst of the reasons; none means HEALTHY.
 */
public record Health(Verdict verdict, List<Reason> reasons) {

  /** One finding. */
  public record Reason(String code, Verdict verdict, String message) {}

  public static final Health UNKNOWN_YET =
      new Health(
          Verdict.UNKNOWN,
          List.of(
              new Reason("NOT_YET_OBSERVED", Verdict.UNKNOWN, "The job has not been read yet.")));

  public static Health of(List<Reason> reasons) {
    Verdict worst = Verdict.HEALTHY;
    for (Reason r : reasons) {
      if (r.verdict() != Verdict.UNKNOWN && r.verdict().compareTo(worst) > 0) {
        worst = r.verdict();
      }
    }
    return new Health(worst, List.copyOf(reasons));
  }

  /** What to say while the JobManager does not answer: the last verdict is no longer known. */
  public Health stale(long ageMs) {
    return new Health(
        Verdict.UNKNOWN,
        List.of(
            new Reason(
                "JOBMANAGER_UNREACHABLE",
                Verdict.UNKNOWN,
                "The JobManager has not answered for "
                    + ageMs
                    + " ms; the last known verdict was "
                    + verdict
                    + ".")));
  }
}
