package dev.flinksupervisor.demo;

import dev.flinksupervisor.config.SupervisorOptions;
import dev.flinksupervisor.demo.job.DemoJob;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * What the demo sets up so that every feature can be tried at once: a jar directory holding the
 * example job, a small and a large slot profile, a savepoint schedule, and an upload directory.
 * These are defaults: a configuration file and {@code SUPERVISOR_*} variables override them.
 */
public final class Tour {
  /** The example job's jar in the demo's jar directory. */
  public static final String EXAMPLE_JAR = "demo-job.jar";

  public static final String EXAMPLE_CLASS = DemoJob.class.getName();

  private Tour() {}

  /** The tour's sidecar settings in {@code workDir}, after writing the example job's jar there. */
  public static Map<String, String> settings(Path workDir) throws IOException {
    Path jars = Files.createDirectories(workDir.resolve("usrlib"));
    writeExampleJar(jars.resolve(EXAMPLE_JAR));
    Map<String, String> s = new LinkedHashMap<>();
    s.put(SupervisorOptions.JAR_DIRECTORY.key(), jars.toString());
    s.put(SupervisorOptions.UPLOAD_DIRECTORY.key(), workDir.resolve("uploads").toString());
    s.put("slot-profiles.small.cpu-cores", "0.25");
    s.put("slot-profiles.small.task-heap", "64m");
    s.put("slot-profiles.small.managed-memory", "16m");
    s.put("slot-profiles.large.cpu-cores", "0.5");
    s.put("slot-profiles.large.task-heap", "128m");
    s.put("slot-profiles.large.managed-memory", "32m");
    s.put(SupervisorOptions.SAVEPOINT_INTERVAL.key(), "5m");
    s.put(SupervisorOptions.DETAILS_INTERVAL.key(), "2s");
    return s;
  }

  /**
   * Writes the example job's classes into a runnable jar, from the demo's own jar or class
   * directory, so that it can be submitted by path like any user's jar.
   */
  static void writeExampleJar(Path target) throws IOException {
    String prefix = DemoJob.class.getPackageName().replace('.', '/') + "/";
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, EXAMPLE_CLASS);
    Path source = codeSource();
    List<String> written = new ArrayList<>();
    try (OutputStream file = Files.newOutputStream(target);
        JarOutputStream jar = new JarOutputStream(file, manifest)) {
      if (Files.isDirectory(source)) {
        Path dir = source.resolve(prefix);
        try (Stream<Path> classes = Files.walk(dir)) {
          for (Path c : classes.filter(Files::isRegularFile).sorted().toList()) {
            String name = prefix + dir.relativize(c).toString().replace('\\', '/');
            jar.putNextEntry(new JarEntry(name));
            Files.copy(c, jar);
            jar.closeEntry();
            written.add(name);
          }
        }
      } else {
        try (JarFile demo = new JarFile(source.toFile())) {
          for (JarEntry e : demo.stream().filter(e -> e.getName().startsWith(prefix)).toList()) {
            if (e.isDirectory()) {
              continue;
            }
            jar.putNextEntry(new JarEntry(e.getName()));
            try (InputStream in = demo.getInputStream(e)) {
              in.transferTo(jar);
            }
            jar.closeEntry();
            written.add(e.getName());
          }
        }
      }
    }
    if (written.isEmpty()) {
      throw new IOException("No classes of the example job found in " + source);
    }
  }

  private static Path codeSource() throws IOException {
    try {
      return Path.of(DemoJob.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IOException("Cannot locate the example job's classes", e);
    }
  }
}
