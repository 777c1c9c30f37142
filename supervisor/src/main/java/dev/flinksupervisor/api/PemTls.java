package dev.flinksupervisor.api;

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
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS for the admin API from PEM files, as cert-manager or a mounted Secret provides them: a
 * certificate chain and a PKCS#8 private key (RSA or EC). The files are re-read when they change
 * and Jetty swaps the key store without a restart.
 */
public final class PemTls {
  private static final Logger LOG = LoggerFactory.getLogger(PemTls.class);
  static final char[] NO_PASSWORD = new char[0];

  private final Path certificate;
  private final Path key;
  private final SslContextFactory.Server factory = new SslContextFactory.Server();
  private final AtomicReference<String> loaded = new AtomicReference<>();

  public PemTls(Path certificate, Path key) throws Exception {
    this.certificate = certificate;
    this.key = key;
    String content = contents();
    factory.setKeyStore(keyStore(certificate, key));
    factory.setKeyStorePassword("");
    factory.setKeyManagerPassword("");
    loaded.set(content);
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
      factory.reload(f -> f.setKeyStore(next));
      loaded.set(content);
      LOG.info("Reloaded the TLS certificate from {}", certificate);
    } catch (Exception e) {
      LOG.error(
          "The TLS files could not be used; keeping the certificate in force: {}", e.toString());
    }
  }

  private String contents() throws Exception {
    return Files.readString(certificate) + Files.readString(key);
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
