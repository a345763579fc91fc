package dev.sluice.sink;

import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/** Where sinks may send, under {@code sluice.egress}. */
@ConfigMapping(prefix = "sluice.egress")
public interface EgressConfig {
    /**
     * CIDRs no sink may reach (IPv4 or IPv6, e.g. {@code 10.0.0.0/8,fd00::/8}), checked on the resolved address at
     * reconcile and on the connected address at every send. When unset: link-local ({@code 169.254.0.0/16},
     * {@code fe80::/10}, the cloud metadata address among them) everywhere, and in cluster mode also loopback and
     * the unspecified address ({@code 127.0.0.0/8}, {@code ::1/128}, {@code 0.0.0.0/8}, {@code ::/128}). Setting it
     * replaces that default; an empty value ({@code sluice.egress.deny=}) denies nothing.
     */
    Optional<List<String>> deny();
}
