package dev.flinksupervisor.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.flinksupervisor.supervision.ClusterState;
import dev.flinksupervisor.supervision.EventLog;
import dev.flinksupervisor.testing.FakeFlinkSavepoints;
import dev.flinksupervisor.testing.MutableClock;
import dev.flinksupervisor.testing.OpenSsl;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin API over HTTPS from PEM files, and a certificate rotated without a restart. */
class TlsTest {
  @TempDir Path dir;
  private AdminApi api;

  @AfterEach
  void stop() {
    if (api != null) {
      api.close();
    }
  }

  private void certificate(String commonName) throws Exception {
    OpenSsl.run(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        dir.resolve("key.pem").toString(),
        "-out",
        dir.resolve("cert.pem").toString(),
        "-days",
        "1",
        "-subj",
        "/CN=" + commonName);
  }

  private HttpResponse<String> getOverTls(String path) throws Exception {
    X509Certificate cert;
    try (var in = Files.newInputStream(dir.resolve("cert.pem"))) {
      cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("admin-api", cert);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    HttpResponse<String> response =
        HttpClient.newBuilder()
            .sslContext(ssl)
            .build()
            .send(
                HttpRequest.newBuilder(URI.create("https://localhost:" + api.port() + path))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    dev.flinksupervisor.testing.ApiContract.check("GET", path, response);
    return response;
  }

  @Test
  void the_api_speaks_https_and_picks_up_a_rotated_certificate() throws Exception {
    assumeTrue(OpenSsl.present(), "openssl is needed to make a test certificate");
    certificate("localhost");
    PemTls tls = new PemTls(dir.resolve("cert.pem"), dir.resolve("key.pem"));
    api = api(tls).start();

    HttpResponse<String> first = getOverTls("/healthz");
    assertThat(first.statusCode()).isEqualTo(200);
    String firstSerial =
        ((X509Certificate) first.sslSession().orElseThrow().getPeerCertificates()[0])
            .getSerialNumber()
            .toString();
    assertThatThrownBy(
            () ->
                HttpClient.newHttpClient()
                    .send(
                        HttpRequest.newBuilder(
                                URI.create("http://localhost:" + api.port() + "/healthz"))
                            .build(),
                        HttpResponse.BodyHandlers.ofString()))
        .as("no plain HTTP on the TLS port")
        .isInstanceOf(IOException.class);

    certificate("localhost");
    tls.reloadIfChanged();

    HttpResponse<String> second = getOverTls("/healthz");
    assertThat(second.statusCode()).isEqualTo(200);
    String secondSerial =
        ((X509Certificate) second.sslSession().orElseThrow().getPeerCertificates()[0])
            .getSerialNumber()
            .toString();
    assertThat(secondSerial).isNotEqualTo(firstSerial);
  }

  @Test
  void a_key_that_is_not_pkcs8_is_refused_with_how_to_convert_it() throws Exception {
    Files.writeString(
        dir.resolve("key.pem"),
        "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
    Files.writeString(dir.resolve("cert.pem"), "");

    assertThatThrownBy(() -> PemTls.keyStore(dir.resolve("cert.pem"), dir.resolve("key.pem")))
        .hasMessageContaining("holds no PEM certificate");
  }

  private static AdminApi api(PemTls tls) {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    return TestAdminApis.create(
        TestAdminApis.settings(Map.of("t", ApiRole.OPERATOR), Optional.of(tls), 4),
        new ClusterState(),
        new EventLog(clock, 10),
        new FakeFlinkSavepoints(),
        TestAdminApis.metrics(),
        clock);
  }
}
