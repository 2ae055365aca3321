package io.sshtunnel.core.engine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.sshtunnel.api.Finding;
import io.sshtunnel.api.FindingCodes;
import io.sshtunnel.api.TunnelConstants;
import io.sshtunnel.api.TunnelSpec;
import io.sshtunnel.common.Reason;

/**
 * The chains of {@code via}: a tunnel's connection passes through the one it names, which may pass
 * through another. Checked against every tunnel of the container: a name no tunnel has, a chain that
 * comes back to itself, a disabled tunnel in it, each with the chain spelled out. A tunnel another
 * one passes through needs no mappings of its own (it is a jump host).
 */
final class ViaChains {
    /** Longer chains than this are not followed (and would be a loop or a mistake). */
    static final int MAX_HOPS = 16;

    private ViaChains() {
    }

    /** Every tunnel by name, the first of two with one name winning (the second is refused for it). */
    static Map<String, TunnelSpec> byName(Collection<TunnelSpec> all) {
        Map<String, TunnelSpec> out = new LinkedHashMap<>();
        for (TunnelSpec s : all) {
            out.putIfAbsent(s.name(), s);
        }
        return out;
    }

    /** The names other tunnels pass through: the jump hosts. */
    static Set<String> hops(Collection<TunnelSpec> all) {
        Set<String> out = new HashSet<>();
        for (TunnelSpec s : all) {
            if (s.via() != null) {
                out.add(s.via());
            }
        }
        return out;
    }

    /**
     * The findings of {@code found} for this tunnel, with those about its chain added and a jump
     * host's missing mappings forgiven.
     *
     * @param hops {@link #hops(Collection)} of every tunnel
     */
    static List<Finding> checked(TunnelSpec spec, List<Finding> found, Map<String, TunnelSpec> byName, Set<String> hops,
            Locale locale) {
        List<Finding> out = new ArrayList<>(found);
        if (hops.contains(spec.name()) && !spec.name().equals(spec.via())) {
            out.removeIf(f -> FindingCodes.REQUIRED.equals(f.code()) && TunnelConstants.MAPPINGS.equals(f.property()));
        }
        Finding f = chain(spec, byName, locale);
        if (f != null && !out.contains(f)) {
            out.add(f);
        }
        return out;
    }

    /** What is wrong with the chain from this tunnel, or null. */
    static Finding chain(TunnelSpec spec, Map<String, TunnelSpec> byName, Locale locale) {
        if (spec.via() == null) {
            return null;
        }
        List<String> chain = new ArrayList<>(List.of(spec.name()));
        String next = spec.via();
        for (int i = 0; i < MAX_HOPS; i++) {
            if (chain.contains(next)) {
                chain.add(next);
                return error(FindingCodes.VIA_LOOP, Reason.of("via.loop", spec.via(), spelled(chain), next), locale);
            }
            chain.add(next);
            TunnelSpec hop = byName.get(next);
            if (hop == null || hop.id().equals(spec.id())) {
                return error(FindingCodes.VIA_UNKNOWN, Reason.of("via.unknown", next, spelled(chain)), locale);
            }
            if (!hop.enabled()) {
                return error(FindingCodes.VIA_DISABLED, Reason.of("via.disabled", spec.via(), spelled(chain), next), locale);
            }
            if (hop.via() == null) {
                return null;
            }
            next = hop.via();
        }
        return error(FindingCodes.VIA_LOOP, Reason.of("via.tooLong", spec.via(), spelled(chain), MAX_HOPS), locale);
    }

    private static String spelled(List<String> chain) {
        return String.join(" \u2192 ", chain);
    }

    private static Finding error(String code, Reason why, Locale locale) {
        return Finding.error(code, TunnelConstants.VIA, why.in(locale));
    }
}
