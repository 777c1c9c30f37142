package dev.flinksupervisor.api;

import dev.flinksupervisor.api.auth.ClientAuthMode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS for the admin API from PEM files, as cert-manager or a mounted Secret provides them: a
 * certificate chain and a PKCS#8 private key (RSA or EC), and optionally a bundle of CA
 * certificates whose client certificates the handshake asks for ({@code want}) or requires ({@code
 * need}). The files are re-read when they change and Jetty swaps the key and trust stores without a
 * restart (new connections use them; open ones keep what they were verified with).
 */
public final class PemTls {
  private static final Logger LOG = LoggerFactory.getLogger(PemTls.class);
  static final char[] NO_PASSWORD = new char[0];

  /** Client certificates: the PEM bundle of the CAs trusted to issue them, and the mode. */
  public record ClientAuth(Path caFile, ClientAuthMode mode) {}

  private final Path certificate;
  private final Path key;
  private final Optional<ClientAuth> clientAuth;
  private final SslContextFactory.Server factory = new SslContextFactory.Server();
  private final AtomicReference<String> loaded = new AtomicReference<>();

  public PemTls(Path certificate, Path key) throws Exception {
    this(certificate, key, Optional.empty());
  }

  public PemTls(Path certificate, Path key, Optional<ClientAuth> clientAuth) throws Exception {
    this.certificate = certificate;
    this.key = key;
    this.clientAuth = clientAuth;
    String content = contents();
    factory.setKeyStore(keyStore(certificate, key));
    factory.setKeyStorePassword("");
    factory.setKeyManagerPassword("");
    if (clientAuth.isPresent()) {
      factory.setTrustStore(trustStore(clientAuth.get().caFile()));
      if (clientAuth.get().mode() == ClientAuthMode.NEED) {
        factory.setNeedClientAuth(true);
      } else {
        factory.setWantClientAuth(true);
      }
    }
    loaded.set(content);
  }

  /** The client certificate settings, when client certificates are asked for. */
  public Optional<ClientAuth> clientAuth() {
    return clientAuth;
  }

  SslContextFactory.Server factory() {
    return factory;
  }

  /** Re-reads the files if they changed; a broken pair keeps the certificate in force. */
  public void reloadIfChanged() {
    try {
      String content = contents();
      if (content.equals(loaded.get())) {
        return;
      }
      KeyStore next = keyStore(certificate, key);
      Optional<KeyStore> trust =
          clientAuth.isPresent()
              ? Optional.of(trustStore(clientAuth.get().caFile()))
              : Optional.empty();
      factory.reload(
          f -> {
            f.setKeyStore(next);
            trust.ifPresent(f::setTrustStore);
          });
      loaded.set(content);
      LOG.info(
          "Reloaded the TLS certificate from {}{}",
          certificate,
          clientAuth.map(c -> " and the client CAs from " + c.caFile()).orElse(""));
    } catch (Exception e) {
      LOG.error(
          "The TLS files could not be used; keeping the certificate in force: {}", e.toString());
    }
  }

  private String contents() throws Exception {
    return Files.readString(certificate)
        + Files.readString(key)
        + (clientAuth.isPresent() ? Files.readString(clientAuth.get().caFile()) : "");
  }

  /** A trust store of every certificate in a PEM bundle. */
  static KeyStore trustStore(Path caFile) throws Exception {
    Collection<? extends Certificate> cas;
    try (var in = new ByteArrayInputStream(Files.readAllBytes(caFile))) {
      cas = CertificateFactory.getInstance("X.509").generateCertificates(in);
    }
    if (cas.isEmpty()) {
      throw new IllegalArgumentException(caFile + " holds no PEM certificate");
    }
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    int i = 0;
    for (Certificate ca : cas) {
      store.setCertificateEntry("client-ca-" + i++, ca);
    }
    return store;
  }

  static KeyStore keyStore(Path certificateFile, Path keyFile) throws Exception {
    Collection<? extends Certificate> chain;
    try (var in = new ByteArrayInputStream(Files.readAllBytes(certificateFile))) {
      chain = CertificateFactory.getInstance("X.509").generateCertificates(in);
    }
    if (chain.isEmpty()) {
      throw new IllegalArgumentException(certificateFile + " holds no PEM certificate");
    }
    PrivateKey privateKey = privateKey(keyFile);
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("admin-api", privateKey, NO_PASSWORD, chain.toArray(Certificate[]::new));
    return store;
  }

  private static PrivateKey privateKey(Path keyFile) throws Exception {
    String pem = Files.readString(keyFile, StandardCharsets.US_ASCII);
    if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
      throw new IllegalArgumentException(
          keyFile
              + " must hold a PKCS#8 key ('BEGIN PRIVATE KEY'); convert others with"
              + " 'openssl pkcs8 -topk8 -nocrypt'");
    }
    String base64 =
        pem.substring(
                pem.indexOf("-----BEGIN PRIVATE KEY-----") + 27,
                pem.indexOf("-----END PRIVATE KEY-----"))
            .replaceAll("\\s", "");
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64));
    for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (Exception notThisOne) {
        // try the next algorithm
      }
    }
    throw new IllegalArgumentException(keyFile + " holds no RSA, EC or Ed25519 key");
  }
}
