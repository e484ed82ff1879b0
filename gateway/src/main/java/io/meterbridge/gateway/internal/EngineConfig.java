package io.meterbridge.gateway.internal;

import io.meterbridge.client.MeteringClient;
import io.meterbridge.gateway.CatalogProduct;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything {@link Engine#start} needs, already validated by {@link io.meterbridge.gateway.Gateway.Builder}.
 *
 * @param dataDir the SQLite directory, when {@code jdbcUrl} is empty
 * @param jdbcUrl the PostgreSQL URL
 * @param schema the PostgreSQL schema
 * @param catalogFile a seed file whose products are loaded at start
 * @param products products loaded at start
 * @param upstream the client that forwards; empty: forwarding is off (ingest and ledger only)
 * @param closeUpstream whether the engine owns {@code upstream} and closes it
 * @param bind the HTTP address
 * @param port the HTTP port (0 picks one); empty: no HTTP
 * @param ingestToken the bearer token of {@code /v1/usage}
 * @param adminToken the bearer token of {@code /admin/*}
 * @param window the upstream window
 * @param closeDelay how long after its end an hour closes
 * @param alertBefore how long before its deadline an unsent record raises an alert
 * @param zeroHours whether active customers get zero records for hours without usage
 * @param account the quota's name: processes with the same one share it
 * @param quotaPerSecond BatchMeterUsage calls a second for the account
 * @param workers forwarding threads per process
 * @param clock the base clock
 */
public record EngineConfig(
    Optional<Path> dataDir,
    Optional<String> jdbcUrl,
    Optional<String> schema,
    Optional<Path> catalogFile,
    List<CatalogProduct> products,
    Optional<MeteringClient> upstream,
    boolean closeUpstream,
    String bind,
    Optional<Integer> port,
    Optional<String> ingestToken,
    Optional<String> adminToken,
    UpstreamWindow window,
    Duration closeDelay,
    Duration alertBefore,
    boolean zeroHours,
    String account,
    double quotaPerSecond,
    int workers,
    Clock clock) {}
