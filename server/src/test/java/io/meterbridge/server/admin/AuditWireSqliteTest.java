package io.meterbridge.server.admin;

import io.meterbridge.server.MeterbridgeServerConfig;
import java.nio.file.Path;

/** The audit scenarios over SQLite. */
class AuditWireSqliteTest extends AuditWireScenarios {
  @Override
  MeterbridgeServerConfig.Builder database(MeterbridgeServerConfig.Builder builder, Path dir) {
    return builder.dataDir(dir);
  }
}
