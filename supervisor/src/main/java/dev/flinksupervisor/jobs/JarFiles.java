package dev.flinksupervisor.jobs;

import dev.flinksupervisor.util.Refused;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.ZipInputStream;

/**
 * Where job jars come from: the jars on the pod under one directory, and the jars uploaded with a
 * submission, stored under another by the SHA-256 of their content (the same jar uploaded twice is
 * one file). A spec names its jar relative to the one directory or the other.
 */
public final class JarFiles {
  private final Path directory;
  private final Path uploads;

  public JarFiles(Path directory, Path uploads) {
    this.directory = directory.toAbsolutePath().normalize();
    this.uploads = uploads.toAbsolutePath().normalize();
  }

  /** The jar of a spec; refused when it lies outside its directory or is not a jar file. */
  Path resolve(JobSpec spec) {
    if (spec.jarPath() == null || spec.jarPath().isBlank()) {
      throw new Refused(Refused.Kind.BAD_INPUT, "jarPath", "jarPath is required.");
    }
    Path base = spec.uploaded() ? uploads : directory;
    Path jar = base.resolve(spec.jarPath()).toAbsolutePath().normalize();
    if (!jar.startsWith(base) || spec.jarPath().contains("..")) {
      throw new Refused(
          Refused.Kind.BAD_INPUT,
          "jarPath",
          "The jar must be under " + base + "; '" + spec.jarPath() + "' is not.");
    }
    if (!jar.toString().endsWith(".jar") || !Files.isRegularFile(jar)) {
      throw new Refused(
          Refused.Kind.BAD_INPUT,
          "jarPath",
          "No jar file at "
              + jar
              + "."
              + (spec.uploaded()
                  ? " Uploaded jars live as long as the upload directory does; upload it again."
                  : ""));
    }
    // A link under the directory may point anywhere: the file it resolves to must be there too.
    Path real;
    try {
      real = jar.toRealPath();
      if (!real.startsWith(base.toRealPath())) {
        throw new Refused(
            Refused.Kind.BAD_INPUT,
            "jarPath",
            "The jar must be under " + base + "; '" + spec.jarPath() + "' links outside it.");
      }
    } catch (IOException e) {
      throw new Refused(
          Refused.Kind.BAD_INPUT, "jarPath", "The jar at " + jar + " cannot be read: " + e);
    }
    return real;
  }

  /**
   * Stores an uploaded jar and returns its name under the upload directory. Refused when the
   * content is not a zip archive; nothing is left behind then.
   */
  public String store(InputStream content) {
    try {
      Files.createDirectories(uploads);
      Path partial = Files.createTempFile(uploads, "upload-", ".partial");
      try {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(content, sha256)) {
          Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
        }
        if (!isZip(partial)) {
          throw new Refused(Refused.Kind.BAD_INPUT, "jar", "The uploaded file is not a jar.");
        }
        String name = HexFormat.of().formatHex(sha256.digest()) + ".jar";
        Files.move(partial, uploads.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        return name;
      } finally {
        Files.deleteIfExists(partial);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Storing the uploaded jar under " + uploads + " failed", e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Deletes the uploaded jars that no job refers to any more and that were stored more than {@code
   * minAge} before {@code now} (a younger one may belong to a submission being recorded).
   *
   * @return the names deleted
   */
  public java.util.List<String> deleteUnreferenced(
      java.util.Set<String> inUse, java.time.Duration minAge, java.time.Instant now) {
    java.util.List<String> deleted = new java.util.ArrayList<>();
    if (!Files.isDirectory(uploads)) {
      return deleted;
    }
    try (java.util.stream.Stream<Path> files = Files.list(uploads)) {
      for (Path jar : files.filter(f -> f.getFileName().toString().endsWith(".jar")).toList()) {
        String name = jar.getFileName().toString();
        java.time.Instant modified = Files.getLastModifiedTime(jar).toInstant();
        if (!inUse.contains(name) && modified.plus(minAge).isBefore(now)) {
          Files.deleteIfExists(jar);
          deleted.add(name);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cleaning the upload directory " + uploads + " failed", e);
    }
    return deleted;
  }

  private static boolean isZip(Path file) throws IOException {
    try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
      return zip.getNextEntry() != null;
    } catch (IOException e) {
      return false;
    }
  }
}
