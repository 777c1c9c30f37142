package dev.flinksupervisor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * The admin API over HTTP: sends the bearer token, reads JSON answers, and turns every error answer
 * into a {@link CliException} with its one line and exit code, and every failure to reach the
 * sidecar into exit 6.
 */
final class ApiClient {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final Connection connection;
  private final HttpClient http;
  private final Duration requestTimeout;

  ApiClient(Connection connection, Duration requestTimeout) {
    this.connection = connection;
    this.requestTimeout = requestTimeout;
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER);
    if (connection.caFile() != null) {
      builder.sslContext(trusting(connection.caFile()));
    }
    this.http = builder.build();
  }

  URI url() {
    return connection.url();
  }

  JsonNode get(String path) {
    return json(send(request(path).GET().build(), requestTimeout));
  }

  JsonNode post(String path, JsonNode body) {
    return json(send(withJson(request(path), "POST", body).build(), requestTimeout));
  }

  JsonNode put(String path, JsonNode body) {
    return json(send(withJson(request(path), "PUT", body).build(), requestTimeout));
  }

  /**
   * POSTs {@code multipart/form-data}: the jar file, streamed from disk, in part {@code jar}, and
   * {@code spec} as JSON in part {@code spec}.
   */
  JsonNode postMultipart(String path, Path jar, JsonNode spec) {
    String boundary = "flink-supervisor-" + UUID.randomUUID();
    String specPart =
        "--"
            + boundary
            + "\r\nContent-Disposition: form-data; name=\"spec\"\r\n"
            + "Content-Type: application/json\r\n\r\n"
            + spec.toString()
            + "\r\n";
    String fileName = jar.getFileName().toString().replace("\"", "");
    String jarHead =
        "--"
            + boundary
            + "\r\nContent-Disposition: form-data; name=\"jar\"; filename=\""
            + fileName
            + "\"\r\nContent-Type: application/java-archive\r\n\r\n";
    HttpRequest.BodyPublisher file;
    try {
      file = HttpRequest.BodyPublishers.ofFile(jar);
    } catch (IOException e) {
      throw CliException.usage("error: cannot read " + jar + ": " + e.getMessage());
    }
    HttpRequest.BodyPublisher body =
        HttpRequest.BodyPublishers.concat(
            HttpRequest.BodyPublishers.ofString(specPart + jarHead, StandardCharsets.UTF_8),
            file,
            HttpRequest.BodyPublishers.ofString("\r\n--" + boundary + "--\r\n"));
    HttpRequest request =
        request(path)
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(body)
            .build();
    // An upload takes as long as the jar needs; the sidecar bounds it with jobs.max-upload-bytes.
    return json(send(request, requestTimeout.plus(Duration.ofMinutes(10))));
  }

  /**
   * Opens the server-sent event stream at {@code path} ({@code Accept: text/event-stream}); the
   * caller reads it until it ends or closes it.
   */
  InputStream stream(String path) {
    HttpRequest request = request(path).header("Accept", "text/event-stream").GET().build();
    HttpResponse<InputStream> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCodes.FAILED, "error: interrupted");
    }
    if (response.statusCode() >= 300) {
      String body;
      try (InputStream in = response.body()) {
        body = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
      } catch (IOException e) {
        body = "";
      }
      throw problem(response.statusCode(), response.headers(), body);
    }
    return response.body();
  }

  /** A query string of the non-null parameters, URL-encoded, with its {@code ?}. */
  static String query(Map<String, String> params) {
    StringBuilder q = new StringBuilder();
    new LinkedHashMap<>(params)
        .forEach(
            (k, v) -> {
              if (v != null) {
                q.append(q.length() == 0 ? '?' : '&')
                    .append(k)
                    .append('=')
                    .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
              }
            });
    return q.toString();
  }

  /** A path segment, encoded: job and savepoint ids come from the command line. */
  static String segment(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(connection.url() + path))
            .header("User-Agent", "flink-supervisor-cli");
    if (connection.token() != null) {
      builder.header("Authorization", "Bearer " + connection.token());
    }
    return builder;
  }

  private static HttpRequest.Builder withJson(
      HttpRequest.Builder builder, String method, JsonNode body) {
    return builder
        .header("Content-Type", "application/json")
        .method(
            method,
            HttpRequest.BodyPublishers.ofString(
                body == null ? "{}" : body.toString(), StandardCharsets.UTF_8));
  }

  private HttpResponse<String> send(HttpRequest request, Duration timeout) {
    HttpRequest timed = HttpRequest.newBuilder(request, (n, v) -> true).timeout(timeout).build();
    HttpResponse<String> response;
    try {
      response = http.send(timed, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCodes.FAILED, "error: interrupted");
    }
    if (response.statusCode() >= 300) {
      throw problem(response.statusCode(), response.headers(), response.body());
    }
    return response;
  }

  private CliException problem(int status, java.net.http.HttpHeaders headers, String body) {
    CliException e =
        Problems.toException(
            status,
            headers.firstValue("Content-Type").orElse(""),
            body,
            headers.firstValue("Retry-After").orElse(null));
    if (status == 401 && connection.token() == null) {
      return new CliException(
          e.exitCode(),
          e.getMessage()
              + " (no token given: use --token-file, --token, "
              + Connection.ENV_TOKEN
              + " or token: in cli.yaml)");
    }
    return e;
  }

  private static JsonNode json(HttpResponse<String> response) {
    String body = response.body();
    if (body == null || body.isBlank()) {
      return JSON.nullNode();
    }
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new CliException(
          ExitCodes.FAILED,
          "error: the answer of " + response.uri().getPath() + " is not JSON: " + e.getMessage());
    }
  }

  /** Cannot connect, no answer in time, TLS failed: exit 6, with the URL and what happened. */
  CliException unreachable(IOException e) {
    String where = connection.url().toString();
    String line;
    if (e instanceof HttpConnectTimeoutException) {
      line = "error: cannot connect to " + where + ": no answer within " + seconds(CONNECT_TIMEOUT);
    } else if (e instanceof HttpTimeoutException) {
      line = "error: " + where + " did not answer within " + seconds(requestTimeout);
    } else if (causedBy(e, ConnectException.class)) {
      line = "error: cannot connect to " + where + ": " + describe(e);
    } else if (causedBy(e, SSLException.class)) {
      line =
          "error: TLS with "
              + where
              + " failed: "
              + describe(e)
              + (connection.caFile() == null ? " (a private CA? use --ca-file)" : "");
    } else {
      line = "error: the request to " + where + " failed: " + describe(e);
    }
    return new CliException(ExitCodes.UNREACHABLE, Problems.oneLine(line));
  }

  private static String seconds(Duration d) {
    return d.toSeconds() + "s";
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /** The innermost message, or the exception's kind when none has one. */
  static String describe(Throwable e) {
    String message = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        message = t.getMessage();
      }
    }
    return message != null ? message : "connection refused or closed";
  }

  private static SSLContext trusting(Path caFile) {
    try (InputStream in = Files.newInputStream(caFile)) {
      Collection<? extends Certificate> certs =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certs.isEmpty()) {
        throw CliException.usage("error: --ca-file " + caFile + " holds no PEM certificate");
      }
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate c : certs) {
        store.setCertificateEntry("ca-" + i++, c);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (IOException e) {
      throw CliException.usage("error: cannot read --ca-file " + caFile + ": " + e.getMessage());
    } catch (GeneralSecurityException e) {
      throw CliException.usage("error: --ca-file " + caFile + " is not PEM certificates: " + e);
    }
  }
}
