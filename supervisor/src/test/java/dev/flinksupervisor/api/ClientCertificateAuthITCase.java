package dev.flinksupervisor.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flinksupervisor.api.auth.AuthMethods;
import dev.flinksupervisor.api.auth.CertificateRules;
import dev.flinksupervisor.api.auth.ClientAuthMode;
import dev.flinksupervisor.api.auth.ClientCertificates;
import dev.flinksupervisor.testing.MutableClock;
import dev.flinksupervisor.testing.OpenSsl;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Client certificates (mTLS) end to end: certificates made with openssl, the admin API over HTTPS
 * asking for them, and the JDK's HTTP client presenting them.
 */
class ClientCertificateAuthITCase {
  private static final String TOKEN = "operator-token";
  private static final String ACTION = "/api/v1/jobs/a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0/savepoints";

  @TempDir Path dir;
  private AdminApi api;
  private PemTls tls;

  @BeforeEach
  void certificates() throws Exception {
    assumeTrue(OpenSsl.present(), "openssl is needed to make test certificates");
    ca("ca");
    ca("other-ca");
    signed("server", "ca", "/CN=localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1");
    String clientUsage = "extendedKeyUsage=clientAuth\n";
    signed("operator", "ca", "/CN=flink-controller/O=platform", clientUsage);
    signed(
        "viewer",
        "ca",
        "/CN=grafana",
        clientUsage + "subjectAltName=URI:spiffe://cluster.local/ns/flink/sa/grafana");
    signed("stranger", "ca", "/CN=stranger", clientUsage);
    // The operator's subject, but from a CA the API does not trust.
    signed("impostor", "other-ca", "/CN=flink-controller/O=platform", clientUsage);
  }

  @AfterEach
  void stop() {
    if (api != null) {
      api.close();
    }
  }

  private void start(ClientAuthMode mode) throws Exception {
    tls =
        new PemTls(
            dir.resolve("server.pem"),
            dir.resolve("server.key"),
            Optional.of(new PemTls.ClientAuth(dir.resolve("ca.pem"), mode)));
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    AuthMethods auth =
        new AuthMethods(
            Optional.of(
                new ClientCertificates(
                    CertificateRules.parse(
                        "CN=flink-controller,O=platform",
                        "URI:spiffe://cluster.local/ns/flink/sa/*"))),
            Optional.empty(),
            Optional.empty());
    api =
        TestAdminApis.started(
            TestAdminApis.settings(Map.of(TOKEN, ApiRole.OPERATOR), Optional.of(tls), 4, auth),
            clock);
  }

  @Test
  void certificates_map_to_roles_and_bearer_tokens_still_work_in_want_mode() throws Exception {
    start(ClientAuthMode.WANT);

    HttpResponse<String> operatorAction = send(client("operator"), "POST", ACTION, null);
    assertThat(operatorAction.statusCode())
        .as("past authentication and the role check: the standby sidecar's own answer")
        .isEqualTo(409);
    HttpResponse<String> viewerAction = send(client("viewer"), "POST", ACTION, null);
    assertThat(viewerAction.statusCode()).isEqualTo(403);
    assertThat(send(client("viewer"), "GET", "/api/v1/jobs", null).statusCode()).isEqualTo(200);
    assertThat(send(client("operator"), "GET", "/api/v1/events", null).body())
        .as("the audit event names the certificate")
        .contains("by mtls:O=platform,CN=flink-controller: 409", "by mtls:CN=grafana: 403");

    HttpResponse<String> stranger = send(client("stranger"), "GET", "/api/v1/jobs", null);
    assertThat(stranger.statusCode()).isEqualTo(401);
    assertThat(new ObjectMapper().readTree(stranger.body()).get("detail").asText())
        .contains("'CN=stranger' matches no rule");
    assertThat(send(client("stranger"), "GET", "/api/v1/jobs", TOKEN).statusCode())
        .as("an unmatched certificate with a good token")
        .isEqualTo(200);

    assertThat(send(client(null), "GET", "/api/v1/jobs", TOKEN).statusCode())
        .as("no certificate, a bearer token")
        .isEqualTo(200);
    assertThat(send(client(null), "GET", "/api/v1/jobs", null).statusCode()).isEqualTo(401);
    assertThat(send(client(null), "GET", "/healthz", null).statusCode()).isEqualTo(200);

    Throwable impostor =
        catchThrowable(() -> send(client("impostor"), "GET", "/api/v1/jobs", null));
    if (impostor == null) {
      // (not reached with the JDK's TLS: it refuses the handshake)
      assertThat(send(client("impostor"), "GET", "/api/v1/jobs", null).statusCode()).isEqualTo(401);
    } else {
      assertThat(impostor).as("a certificate of an untrusted CA").isInstanceOf(IOException.class);
    }
  }

  @Test
  void need_mode_refuses_connections_without_a_certificate_and_a_new_ca_file_is_picked_up()
      throws Exception {
    start(ClientAuthMode.NEED);

    assertThat(catchThrowable(() -> send(client(null), "GET", "/api/v1/jobs", TOKEN)))
        .as("no certificate, even with a token")
        .isInstanceOf(IOException.class);
    assertThat(send(client("viewer"), "GET", "/api/v1/jobs", null).statusCode()).isEqualTo(200);
    assertThat(catchThrowable(() -> send(client("impostor"), "GET", "/api/v1/jobs", null)))
        .isInstanceOf(IOException.class);

    // The client CAs are rotated: the file now holds the other CA too.
    Files.writeString(
        dir.resolve("ca.pem"),
        Files.readString(dir.resolve("ca.pem")) + Files.readString(dir.resolve("other-ca.pem")));
    tls.reloadIfChanged();

    assertThat(send(client("impostor"), "POST", ACTION, null).statusCode())
        .as("now trusted, and its subject is an operator's")
        .isEqualTo(409);
  }

  private HttpResponse<String> send(HttpClient client, String method, String path, String token)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("https://localhost:" + api.port() + path))
            .timeout(Duration.ofSeconds(20))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response =
        client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    dev.flinksupervisor.testing.ApiContract.check(method, path, response);
    return response;
  }

  /** A client trusting the test CA and presenting {@code name}'s certificate (none: null). */
  private HttpClient client(String name) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", certificates(dir.resolve("ca.pem")).get(0));
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    KeyManager[] keys = null;
    if (name != null) {
      List<X509Certificate> chain = certificates(dir.resolve(name + ".pem"));
      PrivateKey key =
          PemTls.keyStore(dir.resolve(name + ".pem"), dir.resolve(name + ".key"))
                      .getKey("admin-api", PemTls.NO_PASSWORD)
                  instanceof PrivateKey k
              ? k
              : null;
      keys = new KeyManager[] {new Always(key, chain.toArray(X509Certificate[]::new))};
    }
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(keys, tmf.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(10)).build();
  }

  /**
   * Presents its certificate whatever CAs the server names, as a misconfigured or hostile client
   * would (the JDK's own key manager would send none for an unnamed CA).
   */
  private static final class Always extends X509ExtendedKeyManager {
    private final PrivateKey key;
    private final X509Certificate[] chain;

    Always(PrivateKey key, X509Certificate[] chain) {
      this.key = key;
      this.chain = chain;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return "client";
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
      return "client";
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return new String[] {"client"};
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return chain;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return key;
    }
  }

  private static List<X509Certificate> certificates(Path pem) throws Exception {
    List<X509Certificate> out = new ArrayList<>();
    try (var in = Files.newInputStream(pem)) {
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        out.add((X509Certificate) c);
      }
    }
    return out;
  }

  private void ca(String name) throws Exception {
    OpenSsl.run(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        dir.resolve(name + ".key").toString(),
        "-out",
        dir.resolve(name + ".pem").toString(),
        "-days",
        "1",
        "-subj",
        "/CN=" + name);
  }

  private void signed(String name, String ca, String subject, String extensions) throws Exception {
    Files.writeString(dir.resolve(name + ".ext"), extensions + "\n");
    OpenSsl.run(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        dir.resolve(name + ".key").toString(),
        "-out",
        dir.resolve(name + ".csr").toString(),
        "-subj",
        subject);
    OpenSsl.run(
        "x509", "-req",
        "-in", dir.resolve(name + ".csr").toString(),
        "-CA", dir.resolve(ca + ".pem").toString(),
        "-CAkey", dir.resolve(ca + ".key").toString(),
        "-set_serial", String.valueOf(System.nanoTime()),
        "-days", "1",
        "-extfile", dir.resolve(name + ".ext").toString(),
        "-out", dir.resolve(name + ".pem").toString());
  }
}
