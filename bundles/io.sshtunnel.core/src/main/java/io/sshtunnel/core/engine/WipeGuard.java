package io.sshtunnel.core.engine;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.Constants;
import org.osgi.service.cm.ConfigurationAdmin;

import io.sshtunnel.api.TunnelConstants;

/**
 * The FileInstall workaround: a {@code .cfg} file read while it is being rewritten in place
 * arrives with none of the properties that make a tunnel. That is a wiped file, not an edit; the
 * engine keeps the last properties that described the tunnel and puts them back.
 */
final class WipeGuard {
    /** The properties that make a tunnel: all of them gone at once is a wiped file, not an edit. */
    static final List<String> ESSENTIAL = List.of(TunnelConstants.SERVER_HOST, TunnelConstants.USERNAME,
            TunnelConstants.MAPPINGS, TunnelConstants.PASSWORD, TunnelConstants.PRIVATE_KEY_PATH);

    private WipeGuard() {
    }

    static boolean wiped(Map<String, ?> properties) {
        return ESSENTIAL.stream().allMatch(k -> {
            Object v = properties.get(k);
            return v == null || v.toString().isBlank();
        });
    }

    /** The properties worth restoring: the configuration's own, without what SCR adds to a component's. */
    static Map<String, Object> lastGood(Map<String, ?> properties) {
        if (wiped(properties)) {
            return null;
        }
        Map<String, Object> m = new HashMap<>();
        properties.forEach((k, v) -> {
            if (!k.startsWith("component.") && !k.startsWith("osgi.ds.") && !k.equals(Constants.SERVICE_PID)
                    && !k.equals(ConfigurationAdmin.SERVICE_FACTORYPID)) {
                m.put(k, v);
            }
        });
        return m;
    }
}
