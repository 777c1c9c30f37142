package dev.flinksupervisor.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/** Programs whose main() misbehaves, as user code can, and a jar to submit them from. */
public final class RogueMains {
  private RogueMains() {}

  /** Ends the JVM it runs in. */
  public static final class Exits {
    public static void main(String[] args) {
      System.exit(42);
    }
  }

  /** Never returns. */
  public static final class Loops {
    public static void main(String[] args) {
      long spins = 0;
      while (!Thread.currentThread().isInterrupted() || spins >= 0) {
        spins++;
      }
    }
  }

  /** Keeps everything it allocates. */
  public static final class Hoards {
    public static void main(String[] args) {
      List<long[]> kept = new ArrayList<>();
      while (true) {
        kept.add(new long[1 << 20]);
      }
    }
  }

  /** Fails with a message of its own. */
  public static final class Throws {
    public static void main(String[] args) {
      throw new IllegalArgumentException("no --topic given");
    }
  }

  /** A jar holding these classes, written to {@code file}. */
  public static Path jar(Path file) throws IOException {
    try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(file))) {
      for (Class<?> type :
          List.of(RogueMains.class, Exits.class, Loops.class, Hoards.class, Throws.class)) {
        String name = type.getName().replace('.', '/') + ".class";
        jar.putNextEntry(new JarEntry(name));
        try (InputStream in = type.getClassLoader().getResourceAsStream(name)) {
          in.transferTo(jar);
        }
        jar.closeEntry();
      }
    }
    return file;
  }
}
