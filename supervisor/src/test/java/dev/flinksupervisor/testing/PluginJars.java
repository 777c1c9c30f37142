package dev.flinksupervisor.testing;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * The JobManager plugins of this build, found on the test classpath (the Maven reactor puts their
 * jars there, or their classes directories when only compiled), laid out as Flink's {@code
 * plugins/} directory expects: {@code <dir>/<name>/<name>.jar}.
 */
public final class PluginJars {
  /** Each plugin: its directory name under {@code plugins/} and its Maven artifact id. */
  public enum Plugin {
    EVENT_PUSH("event-push", "flink-supervisor-event-push"),
    FAILURE_LABELS("failure-labels", "flink-supervisor-failure-labels");

    final String directory;
    final String artifactId;

    Plugin(String directory, String artifactId) {
      this.directory = directory;
      this.artifactId = artifactId;
    }
  }

  private PluginJars() {}

  /** Whether a classpath entry belongs to one of the plugins (it must not be on a JVM's path). */
  public static boolean isPluginEntry(String entry) {
    for (Plugin p : Plugin.values()) {
      if (isEntryOf(p, entry)) {
        return true;
      }
    }
    return false;
  }

  /** Lays out {@code plugins} under {@code root} and returns {@code root}. */
  public static Path install(Path root, List<Plugin> plugins) throws IOException {
    for (Plugin plugin : plugins) {
      Path entry = locate(plugin);
      Path dir = Files.createDirectories(root.resolve(plugin.directory));
      Path jar = dir.resolve(plugin.artifactId + ".jar");
      if (Files.isDirectory(entry)) {
        jarUp(entry, jar);
      } else {
        Files.copy(entry, jar);
      }
    }
    return root;
  }

  /**
   * The plugin's jar or classes on the classpath (tests), else its jar as the build left it in this
   * repository (the benchmarks, whose runnable jar must not carry the plugins).
   */
  private static Path locate(Plugin plugin) {
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (isEntryOf(plugin, entry)) {
        return Path.of(entry);
      }
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path jar =
          dir.resolve("flink-plugins")
              .resolve(plugin.directory)
              .resolve("target")
              .resolve(plugin.artifactId + ".jar");
      if (Files.isRegularFile(jar)) {
        return jar;
      }
    }
    throw new IllegalStateException(
        "The plugin "
            + plugin.artifactId
            + " is neither on the classpath nor built in this repository; build it first"
            + " (./mvnw package -pl flink-plugins/"
            + plugin.directory
            + " -am)");
  }

  private static boolean isEntryOf(Plugin plugin, String entry) {
    String normalized = entry.replace(File.separatorChar, '/');
    return normalized.contains("/" + plugin.artifactId)
        || normalized.contains("/flink-plugins/" + plugin.directory + "/");
  }

  private static void jarUp(Path classes, Path jar) throws IOException {
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream zip = new JarOutputStream(out);
        Stream<Path> files = Files.walk(classes)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        zip.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
        Files.copy(file, zip);
        zip.closeEntry();
      }
    }
  }
}
