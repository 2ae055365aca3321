/**
 * The sshtunnel API: the tunnel model (specification, port mappings, states, status),
 * the services other bundles consume ({@link io.sshtunnel.api.Tunnel},
 * {@link io.sshtunnel.api.TunnelEndpoint}, {@link io.sshtunnel.api.TunnelRuntime}),
 * and the names of configuration properties, service properties and event topics
 * ({@link io.sshtunnel.api.TunnelConstants}).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.5.0")
package io.sshtunnel.api;
