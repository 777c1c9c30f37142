package dev.flinksupervisor.supervision;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventTypesDocumentedTest {

  @Test
  void every_event_type_is_in_the_readme() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    List<String> types = new ArrayList<>();
    for (Field f : EventTypes.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        types.add((String) f.get(null));
      }
    }

    assertThat(types).hasSizeGreaterThan(30);
    assertThat(types).allSatisfy(t -> assertThat(readme).contains("`" + t + "`"));
  }
}
