package dev.flinksupervisor.api.auth;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.naming.InvalidNameException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/**
 * What a client certificate says about its holder: the subject's attributes ({@code CN}, {@code O},
 * {@code OU}, ...: type in upper case, value as written) and the subject alternative names of type
 * DNS, URI and email.
 *
 * @param subject the subject in RFC 2253 form, for logs and caller ids
 */
public record CertificateIdentity(
    String subject,
    List<Map.Entry<String, String>> attributes,
    List<String> dnsNames,
    List<String> uris,
    List<String> emails) {

  /** Keywords for attribute types that RFC 2253 writes as OIDs. */
  private static final Map<String, String> MORE_KEYWORDS =
      Map.of(
          "1.2.840.113549.1.9.1", "EMAILADDRESS",
          "2.5.4.5", "SERIALNUMBER");

  private static final int SAN_EMAIL = 1;
  private static final int SAN_DNS = 2;
  private static final int SAN_URI = 6;

  public CertificateIdentity {
    attributes = List.copyOf(attributes);
    dnsNames = List.copyOf(dnsNames);
    uris = List.copyOf(uris);
    emails = List.copyOf(emails);
  }

  public static CertificateIdentity of(X509Certificate certificate) {
    String subject =
        certificate.getSubjectX500Principal().getName(X500Principal.RFC2253, MORE_KEYWORDS);
    List<String> dns = new ArrayList<>();
    List<String> uris = new ArrayList<>();
    List<String> emails = new ArrayList<>();
    try {
      Collection<List<?>> names = certificate.getSubjectAlternativeNames();
      if (names != null) {
        for (List<?> name : names) {
          if (name.size() < 2 || !(name.get(0) instanceof Integer type)) {
            continue;
          }
          if (!(name.get(1) instanceof String value)) {
            continue;
          }
          switch (type) {
            case SAN_DNS -> dns.add(value);
            case SAN_URI -> uris.add(value);
            case SAN_EMAIL -> emails.add(value);
            default -> {
              // IP addresses, directory names, ...: not matched
            }
          }
        }
      }
    } catch (CertificateParsingException e) {
      // a certificate whose alternative names cannot be read is matched by its subject only
    }
    return new CertificateIdentity(subject, attributesOf(subject), dns, uris, emails);
  }

  /** The attributes of a distinguished name such as {@code CN=controller,O=platform}. */
  public static List<Map.Entry<String, String>> attributesOf(String distinguishedName) {
    LdapName name;
    try {
      name = new LdapName(distinguishedName);
    } catch (InvalidNameException e) {
      throw new IllegalArgumentException(
          "'" + distinguishedName + "' is not a distinguished name such as CN=x,O=y");
    }
    List<Map.Entry<String, String>> out = new ArrayList<>();
    try {
      for (Rdn rdn : name.getRdns()) {
        // A multi-valued RDN (CN=a+O=b) holds several attributes.
        NamingEnumeration<? extends Attribute> all = rdn.toAttributes().getAll();
        while (all.hasMore()) {
          Attribute attribute = all.next();
          for (int i = 0; i < attribute.size(); i++) {
            out.add(
                Map.entry(
                    attribute.getID().toUpperCase(Locale.ROOT), String.valueOf(attribute.get(i))));
          }
        }
      }
    } catch (NamingException e) {
      throw new IllegalArgumentException(
          "'" + distinguishedName + "' is not a distinguished name such as CN=x,O=y");
    }
    return out;
  }

  /** A short name for logs and caller ids: the subject, or the first URI, DNS name or email. */
  public String displayName() {
    if (!subject.isEmpty()) {
      return subject;
    }
    if (!uris.isEmpty()) {
      return uris.get(0);
    }
    if (!dnsNames.isEmpty()) {
      return dnsNames.get(0);
    }
    return emails.isEmpty() ? "(no subject)" : emails.get(0);
  }
}
