package dev.sluice.standalone;

import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Local mode serves everything (ingress, management API, {@code /ui}, metrics) on one port on 127.0.0.1. A web page
 * the developer opens could still reach that port through DNS rebinding: its own name, resolved to 127.0.0.1, in
 * the {@code Host} header. So every request whose {@code Host} is not a local name gets 421 before any route runs
 * (docs/security.md, "Management interface").
 */
@ApplicationScoped
public class LocalHostCheck {
    /** Before every other route, Quarkus's own {@code /q/...} included. */
    static final int ORDER = Integer.MIN_VALUE;

    @ConfigMapping(prefix = "sluice.local")
    public interface Settings {
        /** Host names (without port) that requests may name in {@code Host}; any port is accepted. */
        @WithDefault("localhost,127.0.0.1,[::1]")
        List<String> allowedHosts();
    }

    @Inject
    Settings settings;

    void register(@Observes Router router) {
        router.route().order(ORDER).handler(this::check);
    }

    private void check(RoutingContext ctx) {
        HostAndPort authority = ctx.request().authority();
        // a request without Host (HTTP/1.0) cannot come from a browser, so not from a rebinding page either
        if (authority == null || allowed(authority.host())) {
            ctx.next();
            return;
        }
        ctx.response().setStatusCode(421).putHeader("content-type", "text/plain")
                .end("Host " + authority.host() + " is not a local name: local mode answers only requests to "
                        + String.join(", ", settings.allowedHosts()) + " (sluice.local.allowed-hosts)\n");
    }

    boolean allowed(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        for (String allowed : settings.allowedHosts()) {
            String bare = allowed.toLowerCase(Locale.ROOT);
            if (name.equals(bare) || ("[" + name + "]").equals(bare) || name.equals(bare.replace("[", "").replace("]", ""))) {
                return true;
            }
        }
        return false;
    }
}
