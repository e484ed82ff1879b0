package io.meterbridge.server.e2e;

import io.meterbridge.server.ServerClock;
import io.meterbridge.server.auth.SigV4Authenticator;
import io.meterbridge.server.http.HttpServer;
import io.meterbridge.server.http.HttpServerConfig;
import io.meterbridge.server.metering.Catalog;
import io.meterbridge.server.metering.MeteringOperations;
import io.meterbridge.server.store.AccessKey;
import io.meterbridge.server.store.Account;
import io.meterbridge.server.store.CatalogChanges;
import io.meterbridge.server.store.Product;
import io.meterbridge.server.store.ProductType;
import io.meterbridge.server.store.RegistrationToken;
import io.meterbridge.server.store.SigningKey;
import io.meterbridge.server.store.Store;
import io.meterbridge.server.store.StoreConfig;
import io.meterbridge.server.store.Stores;
import io.meterbridge.server.store.Subscription;
import io.meterbridge.server.throttle.Throttling;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A real server on 127.0.0.1:0 over a real store (a SQLite file or a fresh PostgreSQL schema),
 * with the scenario catalog loaded.
 */
final class TestServer implements AutoCloseable {
  static final String SELLER = "111111111111";
  static final String BUYER = "222222222222";
  static final String OTHER_SELLER = "333333333333";
  static final String STRANGER = "444444444444";
  static final String SELLER_KEY = "AKIDSELLER";
  static final String BUYER_KEY = "AKIDBUYER";
  static final String BUYER_TASK_KEY = "AKIDBUYERTASK2";
  /** Two keys of one instance's rotating role credentials: the catalog maps both to {@link #INSTANCE}. */
  static final String INSTANCE_KEY_1 = "AKIDINSTANCEKEY1";
  static final String INSTANCE_KEY_2 = "AKIDINSTANCEKEY2";
  static final String INSTANCE = "i-0buyer0instance";
  /** Buyer keys whose software runs on EC2 directly (unsupported by RegisterUsage) and on EKS. */
  static final String BUYER_EC2_KEY = "AKIDBUYERONEC2";
  static final String BUYER_EKS_KEY = "AKIDBUYERONEKS";
  static final String OTHER_SELLER_KEY = "AKIDOTHERSELLER";
  static final String STRANGER_KEY = "AKIDSTRANGER";
  static final String SECRET = "secret-for-tests";
  static final String SAAS = "prod-saas";
  static final String AMI = "prod-ami";
  static final String CONTAINER = "prod-container";
  static final String WEST_AMI = "prod-ami-west";
  /** A container product on Bedrock AgentCore Runtime: many MeterUsage reports an hour, by ClientToken. */
  static final String AGENT = "prod-agent";
  static final String LICENSE = "arn:aws:license-manager::111111111111:license:l-buyer";
  static final String TOKEN = "tok-valid";
  static final String EXPIRED_TOKEN = "tok-expired";
  static final String OTHER_TOKEN = "tok-other-seller";
  static final String POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test";

  private static final KeyPair CONTAINER_KEY = rsa();

  private final Store store;
  private final ServerClock clock = ServerClock.system();
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final HttpServer server;
  private final Runnable dropSchema;

  private TestServer(StoreConfig config, Runnable dropSchema) {
    this(config, dropSchema, Throttling.off());
  }

  private TestServer(StoreConfig config, Runnable dropSchema, Throttling throttling) {
    this(config, dropSchema, HttpServerConfig.builder().bindAddress("127.0.0.1").port(0).regions("us-east-1", "us-west-2")
        .throttling(throttling).build());
  }

  private TestServer(StoreConfig config, Runnable dropSchema, HttpServerConfig serverConfig) {
    this.dropSchema = dropSchema;
    this.store = Stores.open(config);
    seed(store, clock.instant());
    Catalog catalog = new Catalog(store, Duration.ZERO);
    List<String> regions = new ArrayList<>(serverConfig.regions());
    regions.addAll(serverConfig.disabledRegions());
    this.server = HttpServer.builder()
        .config(serverConfig)
        .service(MeteringOperations.builder().catalog(catalog).clock(clock).executor(executor).build())
        .authenticator(SigV4Authenticator.builder().regions(regions).keys(catalog.accessKeys()).build())
        .build()
        .start();
  }

  /**
   * A server over SQLite on 127.0.0.1:0 serving us-east-1 and us-west-2 without quotas, with
   * {@code settings} applied on top.
   */
  static TestServer sqlite(Path dir, java.util.function.UnaryOperator<HttpServerConfig.Builder> settings) {
    return new TestServer(StoreConfig.sqlite(dir).build(), () -> { }, settings.apply(HttpServerConfig.builder()
        .bindAddress("127.0.0.1").port(0).regions("us-east-1", "us-west-2").throttling(Throttling.off())).build());
  }

  static TestServer sqlite(Path dir) {
    return new TestServer(StoreConfig.sqlite(dir).build(), () -> { });
  }

  /** A server over SQLite with the published quotas switched on. */
  static TestServer sqliteThrottled(Path dir) {
    return new TestServer(StoreConfig.sqlite(dir).build(), () -> { }, Throttling.defaults());
  }

  static TestServer postgres() {
    String schema = "mb_e2e_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
    return postgres(schema, true);
  }

  /** A server on {@code schema}; several may share one, as server processes share a database. */
  static TestServer postgres(String schema, boolean dropSchemaOnClose) {
    return postgres(POSTGRES_URL, schema, dropSchemaOnClose);
  }

  /** A server on {@code schema} of the database at {@code url} (which may name an ApplicationName). */
  static TestServer postgres(String url, String schema, boolean dropSchemaOnClose) {
    return new TestServer(StoreConfig.postgres(url).user("postgres").schema(schema).build(), () -> {
      if (!dropSchemaOnClose) {
        return;
      }
      try (var c = DriverManager.getConnection(POSTGRES_URL, "postgres", "");
           var s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      } catch (Exception e) {
        throw new IllegalStateException("cannot drop " + schema, e);
      }
    });
  }

  String endpoint() {
    return (server.config().tlsCertificate().isPresent() ? "https" : "http") + "://127.0.0.1:" + server.port();
  }

  int port() {
    return server.port();
  }

  Store store() {
    return store;
  }

  ServerClock clock() {
    return clock;
  }

  PublicKey containerPublicKey() {
    return CONTAINER_KEY.getPublic();
  }

  @Override
  public void close() {
    server.close();
    executor.shutdownNow();
    store.close();
    dropSchema.run();
  }

  private static void seed(Store store, Instant now) {
    Instant longAgo = now.minus(Duration.ofDays(30));
    CatalogChanges.Builder c = CatalogChanges.builder()
        .account(new Account(SELLER, "seller"))
        .account(new Account(BUYER, "buyer"))
        .account(new Account(OTHER_SELLER, "other seller"))
        .account(new Account(STRANGER, "stranger"))
        .accessKey(new AccessKey(SELLER_KEY, SELLER, SECRET))
        .accessKey(new AccessKey(BUYER_KEY, BUYER, SECRET))
        .accessKey(new AccessKey(BUYER_TASK_KEY, BUYER, SECRET))
        .accessKey(new AccessKey(INSTANCE_KEY_1, BUYER, SECRET, java.util.Optional.of(INSTANCE)))
        .accessKey(new AccessKey(INSTANCE_KEY_2, BUYER, SECRET, java.util.Optional.of(INSTANCE)))
        .accessKey(new AccessKey(BUYER_EC2_KEY, BUYER, SECRET, java.util.Optional.empty(),
            java.util.Optional.of(io.meterbridge.server.store.Platform.EC2)))
        .accessKey(new AccessKey(BUYER_EKS_KEY, BUYER, SECRET, java.util.Optional.empty(),
            java.util.Optional.of(io.meterbridge.server.store.Platform.EKS)))
        .accessKey(new AccessKey(OTHER_SELLER_KEY, OTHER_SELLER, SECRET))
        .accessKey(new AccessKey(STRANGER_KEY, STRANGER, SECRET))
        .product(new Product(SAAS, SELLER, ProductType.SAAS, "us-east-1"))
        .product(new Product(AMI, SELLER, ProductType.AMI, "us-east-1"))
        .product(new Product(WEST_AMI, SELLER, ProductType.AMI, "us-west-2"))
        .product(new Product(CONTAINER, SELLER, ProductType.CONTAINER, "us-east-1"))
        .product(new Product("prod-other", OTHER_SELLER, ProductType.SAAS, "us-east-1"))
        .product(new Product(AGENT, SELLER, ProductType.CONTAINER, "us-east-1", true))
        .dimensions(AGENT, List.of("invocations"))
        .dimensions(SAAS, List.of("users", "storage_gb"))
        .dimensions(AMI, List.of("vcpu_hours"))
        .dimensions(WEST_AMI, List.of("vcpu_hours"))
        .dimensions(CONTAINER, List.of("tasks"))
        .dimensions("prod-other", List.of("users"))
        .signingKey(SigningKey.builder().productCode(CONTAINER).version(1)
            .privateKey(CONTAINER_KEY.getPrivate().getEncoded()).publicKey(CONTAINER_KEY.getPublic().getEncoded())
            .createdAt(longAgo).build());
    for (String product : List.of(SAAS, AMI, WEST_AMI, CONTAINER, AGENT)) {
      c.subscription(Subscription.builder().productCode(product).customerAccountId(BUYER)
          .customerIdentifier("cust-buyer").licenseArn(product.equals(SAAS) ? LICENSE : "arn:aws:license-manager::111111111111:license:l-" + product)
          .active(true).since(longAgo).build());
    }
    c.subscription(Subscription.builder().productCode(SAAS).customerAccountId(STRANGER)
        .customerIdentifier("cust-lapsed").active(false).since(longAgo).build());
    c.token(RegistrationToken.builder().token(TOKEN).productCode(SAAS).customerAccountId(BUYER)
        .customerIdentifier("cust-buyer").licenseArn(LICENSE).expiresAt(now.plus(Duration.ofHours(4))).build());
    c.token(RegistrationToken.builder().token(EXPIRED_TOKEN).productCode(SAAS).customerAccountId(BUYER)
        .expiresAt(now.minus(Duration.ofMinutes(1))).build());
    c.token(RegistrationToken.builder().token(OTHER_TOKEN).productCode("prod-other").customerAccountId(BUYER)
        .expiresAt(now.plus(Duration.ofHours(4))).build());
    store.apply(c.build());
  }

  private static KeyPair rsa() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

}
