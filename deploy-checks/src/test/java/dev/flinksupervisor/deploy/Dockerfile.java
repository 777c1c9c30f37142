package dev.flinksupervisor.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A Dockerfile as a list of instructions: comments dropped, continued lines joined. */
record Dockerfile(Path file, List<Instruction> instructions) {

  record Instruction(String keyword, String arguments) {
    /** The arguments of an exec-form instruction ({@code ["a", "b"]}) as a list. */
    List<String> execForm() {
      try {
        JsonNode array = Repository.YAML.readTree(arguments);
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
      } catch (IOException e) {
        throw new AssertionError(keyword + " is not in exec form: " + arguments, e);
      }
    }
  }

  static Dockerfile read(Path file) throws IOException {
    List<Instruction> instructions = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String raw : Files.readAllLines(file)) {
      String line = raw.strip();
      if (line.startsWith("#") || (line.isEmpty() && current.isEmpty())) {
        continue;
      }
      boolean continued = line.endsWith("\\");
      current.append(continued ? line.substring(0, line.length() - 1) : line).append(' ');
      if (!continued) {
        String text = current.toString().strip();
        current.setLength(0);
        if (!text.isEmpty()) {
          int space = text.indexOf(' ');
          instructions.add(
              new Instruction(
                  text.substring(0, space).toUpperCase(java.util.Locale.ROOT),
                  text.substring(space + 1).strip()));
        }
      }
    }
    return new Dockerfile(file, instructions);
  }

  List<Instruction> all(String keyword) {
    return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
  }

  /** The instructions of the last stage (after its FROM), the one the image is made of. */
  List<Instruction> finalStage() {
    int from = 0;
    for (int i = 0; i < instructions.size(); i++) {
      if (instructions.get(i).keyword().equals("FROM")) {
        from = i;
      }
    }
    return instructions.subList(from, instructions.size());
  }
}
