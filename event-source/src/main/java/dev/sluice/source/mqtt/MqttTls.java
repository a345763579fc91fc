package dev.sluice.source.mqtt;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttClientSslConfigBuilder;

import dev.sluice.api.InvalidSpecException;
import dev.sluice.api.Reasons;

/**
 * TLS for an MQTT source from the PEM text of its spec: {@code caCert} replaces the JVM's trusted authorities,
 * {@code clientCert} and {@code clientKey} (PKCS#8, unencrypted) authenticate the client.
 */
final class MqttTls {
    private static final char[] NO_PASSWORD = new char[0];
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519");

    private MqttTls() {
    }

    /**
     * @param field the event's spec path, for errors
     * @throws InvalidSpecException naming the field whose PEM does not parse
     */
    static MqttClientSslConfig sslConfig(String field, String caCert, String clientCert, String clientKey) {
        MqttClientSslConfigBuilder builder = MqttClientSslConfig.builder();
        try {
            if (caCert != null) {
                KeyStore trusted = emptyStore();
                int i = 0;
                for (Certificate certificate : certificates(field + ".caCert", caCert)) {
                    trusted.setCertificateEntry("ca-" + i++, certificate);
                }
                TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(trusted);
                builder = builder.trustManagerFactory(trust);
            }
            if (clientCert != null || clientKey != null) {
                if (clientCert == null || clientKey == null) {
                    throw new InvalidSpecException(Reasons.TLS_INCOMPLETE, field + (clientCert == null ? ".clientCert" : ".clientKey"),
                            "a client certificate needs both clientCert and clientKey");
                }
                KeyStore identity = emptyStore();
                identity.setKeyEntry("client", privateKey(field + ".clientKey", clientKey), NO_PASSWORD,
                        certificates(field + ".clientCert", clientCert).toArray(Certificate[]::new));
                KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(identity, NO_PASSWORD);
                builder = builder.keyManagerFactory(keys);
            }
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new InvalidSpecException(Reasons.TLS_INVALID, field, "TLS material not usable: " + e.getMessage());
        }
        return builder.build();
    }

    private static KeyStore emptyStore() throws GeneralSecurityException, java.io.IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        return store;
    }

    static List<Certificate> certificates(String field, String pem) {
        try {
            List<Certificate> certificates = List.copyOf(CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
            if (certificates.isEmpty()) {
                throw new InvalidSpecException(Reasons.TLS_INVALID, field, "no PEM certificate found");
            }
            return certificates;
        } catch (GeneralSecurityException e) {
            throw new InvalidSpecException(Reasons.TLS_INVALID, field, "not a PEM certificate: " + e.getMessage());
        }
    }

    static PrivateKey privateKey(String field, String pem) {
        if (pem.contains("BEGIN RSA PRIVATE KEY") || pem.contains("BEGIN EC PRIVATE KEY")
                || pem.contains("BEGIN ENCRYPTED PRIVATE KEY")) {
            throw new InvalidSpecException(Reasons.TLS_INVALID, field,
                    "the key must be unencrypted PKCS#8 (BEGIN PRIVATE KEY); convert it with openssl pkcs8 -topk8 -nocrypt");
        }
        int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new InvalidSpecException(Reasons.TLS_INVALID, field, "no PEM private key found (BEGIN PRIVATE KEY)");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(pem.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end));
        } catch (IllegalArgumentException e) {
            throw new InvalidSpecException(Reasons.TLS_INVALID, field, "the private key is not base64: " + e.getMessage());
        }
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new InvalidSpecException(Reasons.TLS_INVALID, field, "the private key is neither RSA, EC nor Ed25519");
    }
}
