package dev.sluice.sink;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.sluice.config.SluiceConfig;
import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;

/**
 * The SSRF policy: the address ranges no sink may reach. A sink is checked twice: when its resource is reconciled,
 * on every address its host name resolves to ({@link #refusal(String)}), and at every send, on the address the
 * connection really went to ({@link #refuses(InetAddress)}), so that a name which resolves elsewhere later (DNS
 * rebinding) is still refused before a byte is sent.
 */
@ApplicationScoped
public class EgressPolicy {
    /** Link-local: the cloud metadata address 169.254.169.254 lives there. */
    static final List<String> LINK_LOCAL = List.of("169.254.0.0/16", "fe80::/10");
    /** This host: a pod's own sidecars and management ports. 0.0.0.0 and :: connect to it too. */
    static final List<String> LOOPBACK = List.of("127.0.0.0/8", "::1/128", "0.0.0.0/8", "::/128");

    private final List<Range> denied;

    /** The ranges as configured, or the mode's default. */
    @Inject
    public EgressPolicy(EgressConfig egress, SluiceConfig sluice) {
        this(egress.deny().orElseGet(() -> defaults(sluice.resources().source() == SluiceConfig.Source.KUBERNETES)));
    }

    /** @param cidrs the ranges to deny, such as {@code 169.254.0.0/16} */
    public EgressPolicy(List<String> cidrs) {
        List<Range> ranges = new ArrayList<>();
        for (String cidr : cidrs) {
            if (!cidr.isBlank()) {
                ranges.add(Range.of(cidr.trim()));
            }
        }
        this.denied = List.copyOf(ranges);
    }

    /** The default deny-list: link-local, and loopback as well in cluster mode. */
    public static List<String> defaults(boolean cluster) {
        List<String> cidrs = new ArrayList<>(LINK_LOCAL);
        if (cluster) {
            cidrs.addAll(LOOPBACK);
        }
        return cidrs;
    }

    /** Whether a sink may not send to this address. */
    public boolean refuses(InetAddress address) {
        return range(address).isPresent();
    }

    /**
     * Why a sink may not send to this host, if it may not: the first of its addresses that falls in a denied range.
     * A host that does not resolve now passes; the check at send time still applies when it does. This looks the
     * name up, so it must not run on an event loop.
     */
    public Optional<String> refusal(String host) {
        if (denied.isEmpty()) {
            return Optional.empty();
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
        for (InetAddress address : addresses) {
            Optional<Range> range = range(address);
            if (range.isPresent()) {
                String resolved = host.equals(address.getHostAddress()) ? "" : " (" + address.getHostAddress() + ")";
                return Optional.of(host + resolved + " is in the denied range " + range.get().cidr()
                        + " (sluice.egress.deny)");
            }
        }
        return Optional.empty();
    }

    private Optional<Range> range(InetAddress address) {
        InetSocketAddress socket = new InetSocketAddress(address, 0);
        return denied.stream().filter(range -> range.rule().matches(socket)).findFirst();
    }

    /** One denied CIDR, matched by Netty's subnet rule (IPv4 and IPv6). */
    private record Range(String cidr, IpSubnetFilterRule rule) {
        static Range of(String cidr) {
            String[] parts = cidr.split("/", 2);
            try {
                InetAddress base = InetAddress.getByName(literal(parts[0]));
                int prefix = parts.length == 2 ? Integer.parseInt(parts[1].trim())
                        : base.getAddress().length * 8;
                return new Range(cidr, new IpSubnetFilterRule(base, prefix, IpFilterRuleType.REJECT));
            } catch (UnknownHostException | RuntimeException e) {
                throw new IllegalArgumentException("sluice.egress.deny: '" + cidr + "' is not a CIDR such as "
                        + "169.254.0.0/16 or fe80::/10", e);
            }
        }

        /** Only an address literal: a CIDR that names a host would be looked up, which a setting must not do. */
        private static String literal(String address) {
            String trimmed = address.trim();
            if (!trimmed.contains(":") && !trimmed.matches("[0-9.]+")) {
                throw new IllegalArgumentException("not an address literal");
            }
            return trimmed;
        }
    }
}
