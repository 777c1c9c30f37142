package dev.flinksupervisor.jobs;

import java.util.List;
import java.util.Map;

/**
 * How a job is run: recorded at submission, so that the sidecar can run it again.
 *
 * @param jarPath the jar, under the configured jar directory
 * @param restorePath the state of the first run; later runs restore from the newest state
 * @param slotProfiles the named slot profile of each slot-sharing group ({@code default} for the
 *     group of operators that name none)
 * @param uploaded the jar was uploaded with the submission: {@code jarPath} names it under the
 *     upload directory
 */
public record JobSpec(
    String jarPath,
    String entryClass,
    List<String> args,
    Integer parallelism,
    String restorePath,
    boolean allowNonRestoredState,
    RecoveryPolicy recovery,
    Map<String, String> slotProfiles,
    boolean uploaded) {

  public JobSpec {
    args = args == null ? List.of() : List.copyOf(args);
    slotProfiles = slotProfiles == null ? Map.of() : Map.copyOf(slotProfiles);
  }

  /** What stands in for a value a caller may not see. */
  public static final String REDACTED = "<redacted>";

  /**
   * The same spec as a viewer may see it: the program's arguments often carry secrets (passwords,
   * keys, connection strings), so only their flags are kept ({@code --password}, and {@code
   * --password=} of {@code --password=x}); every value is {@value #REDACTED}.
   */
  public JobSpec withArgumentValuesRedacted() {
    List<String> redacted =
        args.stream()
            .map(
                a -> {
                  if (!a.startsWith("-")) {
                    return REDACTED;
                  }
                  int equals = a.indexOf('=');
                  return equals < 0 ? a : a.substring(0, equals + 1) + REDACTED;
                })
            .toList();
    return new JobSpec(
        jarPath,
        entryClass,
        redacted,
        parallelism,
        restorePath,
        allowNonRestoredState,
        recovery,
        slotProfiles,
        uploaded);
  }

  /** The same spec with other slot profiles. */
  public JobSpec withSlotProfiles(Map<String, String> profiles) {
    return new JobSpec(
        jarPath,
        entryClass,
        args,
        parallelism,
        restorePath,
        allowNonRestoredState,
        recovery,
        profiles,
        uploaded);
  }
}
