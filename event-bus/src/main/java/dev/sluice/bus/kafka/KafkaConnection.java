package dev.sluice.bus.kafka;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;

import dev.sluice.api.InvalidSpecException;
import dev.sluice.api.Reasons;
import dev.sluice.api.TlsSpec;

/**
 * Where and how a Kafka client connects: brokers, SASL/PLAIN credentials and TLS (PEM). Shared by the Kafka bus
 * and the Kafka event source, so both read the same spec fields the same way.
 *
 * @param tls null for a plain connection
 */
public record KafkaConnection(String brokers, boolean authRequired, String saslUsername, String saslPassword,
        TlsSpec tls) {

    /**
     * The client settings for this connection.
     *
     * @param field the spec path of the connection's fields, for errors: {@code spec.kafka}
     * @throws InvalidSpecException when brokers or credentials are missing
     */
    public Map<String, Object> clientConfig(String field) {
        if (brokers == null || brokers.isBlank()) {
            throw new InvalidSpecException(Reasons.BROKERS_MISSING, field + ".brokers", "set the Kafka brokers (host:port,...)");
        }
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, brokers);
        if (authRequired) {
            if (saslUsername == null || saslPassword == null) {
                throw new InvalidSpecException(Reasons.CREDENTIALS_MISSING, field + ".saslUsername",
                        "authRequired is true but saslUsername or saslPassword is missing");
            }
            config.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
            config.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.plain.PlainLoginModule required"
                    + " username=\"" + quoted(saslUsername) + "\" password=\"" + quoted(saslPassword) + "\";");
        }
        if (tls != null) {
            if (tls.getCaCert() != null) {
                config.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
                config.put(SslConfigs.SSL_TRUSTSTORE_CERTIFICATES_CONFIG, tls.getCaCert());
            }
            if (tls.getClientCert() != null || tls.getClientKey() != null) {
                if (tls.getClientCert() == null || tls.getClientKey() == null) {
                    throw new InvalidSpecException(Reasons.TLS_INCOMPLETE, field + ".tls.clientKey",
                            "a client certificate needs both clientCert and clientKey");
                }
                config.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PEM");
                config.put(SslConfigs.SSL_KEYSTORE_CERTIFICATE_CHAIN_CONFIG, tls.getClientCert());
                config.put(SslConfigs.SSL_KEYSTORE_KEY_CONFIG, tls.getClientKey());
            }
            if (Boolean.TRUE.equals(tls.getInsecureSkipVerify())) {
                // Kafka can only skip the host name check; the certificate chain is still verified
                config.put(SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG, "");
            }
        }
        String protocol = (authRequired ? "SASL_" : "") + (tls != null ? "SSL" : "PLAINTEXT");
        if (!protocol.equals("PLAINTEXT")) {
            config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol);
        }
        return config;
    }

    /** A JAAS option value is a quoted string: a quote or backslash in a password must not end it. */
    private static String quoted(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
