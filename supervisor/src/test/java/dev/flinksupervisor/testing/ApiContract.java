package dev.flinksupervisor.testing;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The admin API's contract, {@code docs/openapi.json} in the repository, as Atlassian's OpenAPI
 * validator reads it: responses are checked against it. Requests are not, since tests send bad ones
 * on purpose; a path the contract does not have (a test of 404) is not checked either.
 */
public final class ApiContract {
  private static volatile OpenApiInteractionValidator validator;

  private ApiContract() {}

  /** Fails with the validator's report when {@code response} breaks the contract. */
  public static void check(String method, String path, HttpResponse<String> response) {
    SimpleResponse.Builder r = SimpleResponse.Builder.status(response.statusCode());
    response.headers().map().forEach((name, values) -> r.withHeader(name, values));
    if (!response.body().isEmpty()) {
      r.withBody(response.body());
    }
    ValidationReport report =
        validator().validateResponse(path, Request.Method.valueOf(method), r.build());
    if (report.hasErrors()) {
      throw new AssertionError(
          method
              + " "
              + path
              + " answered "
              + response.statusCode()
              + " outside the contract docs/openapi.json:\n"
              + report.getMessages()
              + "\nBody: "
              + abbreviate(response.body()));
    }
  }

  private static OpenApiInteractionValidator validator() {
    OpenApiInteractionValidator v = validator;
    if (v == null) {
      synchronized (ApiContract.class) {
        if (validator == null) {
          validator =
              OpenApiInteractionValidator.createForInlineApiSpecification(read(file()))
                  .withLevelResolver(
                      LevelResolver.create()
                          .withLevel("validation.request", ValidationReport.Level.IGNORE)
                          .withLevel(
                              "validation.response.path.missing", ValidationReport.Level.IGNORE)
                          .withLevel(
                              "validation.request.path.missing", ValidationReport.Level.IGNORE)
                          .build())
                  .build();
        }
        v = validator;
      }
    }
    return v;
  }

  /** The contract, found from the working directory of any module of the build. */
  public static Path file() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("docs").resolve("openapi.json");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "docs/openapi.json not found above " + Path.of("").toAbsolutePath());
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String abbreviate(String body) {
    return body.length() > 2_000 ? body.substring(0, 2_000) + "…" : body;
  }
}
