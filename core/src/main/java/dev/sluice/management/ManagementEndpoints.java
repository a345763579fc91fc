package dev.sluice.management;

import io.vertx.ext.web.Router;

/**
 * Routes that belong with management, not with ingress: the management API, {@code /resources} and {@code /ui}.
 * {@link ManagementRouter} registers every bean of this type on the router it belongs on.
 */
public interface ManagementEndpoints {

    /** Adds this bean's routes to {@code router}. */
    void register(Router router);
}
