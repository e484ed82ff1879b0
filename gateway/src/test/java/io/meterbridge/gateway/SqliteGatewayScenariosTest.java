package io.meterbridge.gateway;

class SqliteGatewayScenariosTest extends GatewayScenarios {
  @Override
  Gateway.Builder database(Gateway.Builder builder) {
    return builder.dataDir(dir.resolve("gateway"));
  }
}
