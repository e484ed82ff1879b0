package io.meterbridge.client.endpoints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MeteringEndpointsTest {

  @Test
  void aRegionResolvesToTheRegionalEndpointSignedAsAwsMarketplace() {
    ResolvedEndpoint endpoint = MeteringEndpoints.resolve(EndpointParams.ofRegion("eu-west-1"));

    assertThat(endpoint.uri()).isEqualTo(URI.create("https://metering.marketplace.eu-west-1.amazonaws.com"));
    assertThat(endpoint.signingRegion()).contains("eu-west-1");
    assertThat(endpoint.signingName()).isEqualTo("aws-marketplace");
    assertThat(endpoint.headers()).isEmpty();
  }

  @Test
  void aRegionNoPartitionListsFallsBackToTheAwsPartition() {
    assertThat(MeteringEndpoints.resolve(EndpointParams.ofRegion("moon-base-1")).uri())
        .hasToString("https://metering.marketplace.moon-base-1.amazonaws.com");
  }

  @Test
  void anUnlistedRegionMatchingAPartitionPatternUsesThatPartition() {
    assertThat(MeteringEndpoints.resolve(EndpointParams.ofRegion("cn-south-9")).uri())
        .hasToString("https://metering.marketplace.cn-south-9.amazonaws.com.cn");
  }

  @Test
  void aCustomEndpointWithARegionKeepsTheRegionForSigning() {
    ResolvedEndpoint endpoint = MeteringEndpoints.resolve(EndpointParams.builder()
        .region("us-west-2")
        .endpoint(URI.create("http://127.0.0.1:8080"))
        .build());

    assertThat(endpoint.uri()).hasToString("http://127.0.0.1:8080");
    assertThat(endpoint.signingRegion()).contains("us-west-2");
  }

  @Test
  void aCustomEndpointWithoutARegionLeavesTheSigningRegionToTheCaller() {
    ResolvedEndpoint endpoint = MeteringEndpoints.resolve(
        EndpointParams.builder().endpoint(URI.create("https://example.com")).build());

    assertThat(endpoint.signingRegion()).isEmpty();
  }

  @Test
  void aRegionThatCannotBeAHostLabelIsRejectedBeforeResolution() {
    assertThatThrownBy(() -> EndpointParams.ofRegion("us-east-1/evil"))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid region \"us-east-1/evil\": expected letters, digits and hyphens, such as us-east-1");
  }

  @Test
  void aRelativeOrNonHttpEndpointIsRejectedBeforeResolution() {
    for (String endpoint : new String[] {"example.com", "ftp://example.com", "file:///tmp/x"}) {
      assertThatThrownBy(() -> EndpointParams.builder().endpoint(URI.create(endpoint)).build())
          .as(endpoint)
          .isExactlyInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("Invalid endpoint \"" + endpoint + "\"");
    }
  }

  @Test
  void toBuilderKeepsEveryParameter() {
    EndpointParams params = EndpointParams.builder()
        .region("us-east-1").useFips(true).useDualStack(true).build();

    assertThat(params.toBuilder().build()).isEqualTo(params);
  }

  @Test
  void theRuleSetIsParsedOnceAndShared() {
    assertThat(MeteringEndpoints.bundledRules()).isSameAs(MeteringEndpoints.bundledRules());
  }

  // The interpreter beyond what today's rule set exercises, so that a newer one drops in.

  private static final String PARTITIONS = """
      {"version":"1.1","partitions":[
        {"id":"aws","regionRegex":"^(us|eu)\\\\-\\\\w+\\\\-\\\\d+$",
         "outputs":{"name":"aws","dnsSuffix":"amazonaws.com","supportsFIPS":true},
         "regions":{"us-east-1":{"description":"N. Virginia"},
                    "us-nofips-1":{"description":"override","supportsFIPS":false}}}]}
      """;

  private static RuleSet rules(String rules) {
    String document = """
        {"version":"1.0","parameters":{
           "Region":{"type":"String","builtIn":"AWS::Region","required":false},
           "UseFIPS":{"type":"Boolean","builtIn":"AWS::UseFIPS","required":true,"default":false}},
         "rules":%s}
        """.formatted(rules);
    return RuleSet.parse(
        new ByteArrayInputStream(document.getBytes(StandardCharsets.UTF_8)),
        Partitions.parse(new ByteArrayInputStream(PARTITIONS.getBytes(StandardCharsets.UTF_8))));
  }

  @Test
  void aRegionOverrideInThePartitionsReplacesThePartitionOutput() {
    RuleSet rules = rules("""
        [{"type":"tree","conditions":[{"fn":"aws.partition","argv":[{"ref":"Region"}],"assign":"P"}],
          "rules":[
            {"type":"error","conditions":[{"fn":"not","argv":[{"fn":"getAttr","argv":[{"ref":"P"},"supportsFIPS"]}]}],
             "error":"no FIPS in {Region}"},
            {"type":"endpoint","conditions":[],"endpoint":{"url":"https://x.{Region}.{P#dnsSuffix}"}}]}]
        """);

    assertThat(rules.evaluate(Map.of("Region", "us-east-1")).url()).isEqualTo("https://x.us-east-1.amazonaws.com");
    assertThatThrownBy(() -> rules.evaluate(Map.of("Region", "us-nofips-1")))
        .isExactlyInstanceOf(EndpointResolutionException.class)
        .hasMessage("no FIPS in us-nofips-1");
  }

  @Test
  void authSchemesAndHeadersOfAnEndpointRuleAreEvaluatedAsTemplates() {
    RuleSet rules = rules("""
        [{"type":"endpoint","conditions":[{"fn":"isSet","argv":[{"ref":"Region"}]}],
          "endpoint":{"url":"https://x.{Region}.example",
            "properties":{"authSchemes":[{"name":"sigv4","signingName":"svc","signingRegion":"{Region}"}]},
            "headers":{"x-region":["{Region}","{{literal}}"]}}}]
        """);

    RuleSet.Endpoint endpoint = rules.evaluate(Map.of("Region", "eu-west-3"));

    assertThat(endpoint.properties()).isEqualTo(
        Map.of("authSchemes", java.util.List.of(Map.of("name", "sigv4", "signingName", "svc", "signingRegion", "eu-west-3"))));
    assertThat(endpoint.headers()).isEqualTo(Map.of("x-region", java.util.List.of("eu-west-3", "{literal}")));
  }

  @Test
  void aVariableAssignedByARuleThatDidNotApplyIsUnsetForItsSiblings() {
    RuleSet rules = rules("""
        [{"type":"endpoint","conditions":[
            {"fn":"aws.partition","argv":[{"ref":"Region"}],"assign":"P"},
            {"fn":"booleanEquals","argv":[{"ref":"UseFIPS"},true]}],
          "endpoint":{"url":"https://fips"}},
         {"type":"error","conditions":[{"fn":"isSet","argv":[{"ref":"P"}]}],"error":"leaked"},
         {"type":"endpoint","conditions":[],"endpoint":{"url":"https://plain"}}]
        """);

    assertThat(rules.evaluate(Map.of("Region", "us-east-1")).url()).isEqualTo("https://plain");
  }

  @Test
  void aRuleSetUsingAnUnknownFunctionFailsWhenParsedNamingIt() {
    assertThatThrownBy(() -> rules("""
        [{"type":"endpoint","conditions":[{"fn":"aws.parseArn","argv":["x"]}],"endpoint":{"url":"https://x"}}]
        """))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("Malformed endpoint rules: unsupported function aws.parseArn");
  }

  @Test
  void getAttrPathsSplitIntoKeysAndIndexes() {
    assertThat(RuleSet.path("a.list[2]")).containsExactly("a", "list", 2);
    assertThat(RuleSet.path("[0][1]")).containsExactly(0, 1);
    assertThat(RuleSet.path("name")).containsExactly("name");
  }

  @Test
  void signingNameAndRegionOfARuleOverrideTheDefaults() {
    RuleSet rules = rules("""
        [{"type":"endpoint","conditions":[],
          "endpoint":{"url":"https://x.example",
            "properties":{"authSchemes":[{"name":"sigv4","signingName":"svc","signingRegion":"us-east-1"}]}}}]
        """);

    ResolvedEndpoint endpoint = MeteringEndpoints.resolve(rules, EndpointParams.ofRegion("eu-west-1"));

    assertThat(endpoint.signingName()).isEqualTo("svc");
    assertThat(endpoint.signingRegion()).contains("us-east-1");
  }

  @Test
  void standardFastPath_everyListedAwsRegion_isExactlyWhatTheRuleSetSays() {
    for (String region : StandardEndpoints.AWS_REGIONS) {
      EndpointParams params = EndpointParams.ofRegion(region);

      assertThat(StandardEndpoints.resolve(params)).as(region)
          .isEqualTo(MeteringEndpoints.resolve(MeteringEndpoints.bundledRules(), params));
    }
  }

  @Test
  void standardFastPath_listsExactlyTheAwsPartitionsRegionsOfTheBundledPartitions() throws Exception {
    Map<?, ?> partitions;
    try (var in = MeteringEndpoints.class.getResourceAsStream("partitions.json")) {
      partitions = (Map<?, ?>) JsonTree.read(in);
    }
    java.util.Set<Object> listed = new java.util.HashSet<>();
    for (Object partition : (java.util.List<?>) partitions.get("partitions")) {
      Map<?, ?> p = (Map<?, ?>) partition;
      if ("aws".equals(p.get("id"))) {
        listed.addAll(((Map<?, ?>) p.get("regions")).keySet());
      }
    }
    listed.remove("aws-global");

    assertThat(StandardEndpoints.AWS_REGIONS).containsExactlyInAnyOrderElementsOf(
        listed.stream().map(Object::toString).toList());
  }

  @Test
  void standardFastPath_endpointOverride_isExactlyWhatTheRuleSetSays() {
    for (EndpointParams params : java.util.List.of(
        EndpointParams.builder().region("us-west-2").endpoint(URI.create("http://127.0.0.1:8080")).build(),
        EndpointParams.builder().endpoint(URI.create("https://metering.example.com/prefix/")).build(),
        EndpointParams.builder().region("cn-north-1").endpoint(URI.create("http://[::1]:9000")).build())) {
      assertThat(StandardEndpoints.resolve(params)).as(params.toString())
          .isEqualTo(MeteringEndpoints.resolve(MeteringEndpoints.bundledRules(), params));
    }
  }

  @Test
  void standardFastPath_leavesFipsDualStackAndOtherPartitionsToTheRuleSet() {
    assertThat(StandardEndpoints.resolve(EndpointParams.builder().region("us-east-1").useFips(true).build())).isNull();
    assertThat(StandardEndpoints.resolve(EndpointParams.builder().region("us-east-1").useDualStack(true).build())).isNull();
    assertThat(StandardEndpoints.resolve(EndpointParams.ofRegion("cn-north-1"))).isNull();
    assertThat(StandardEndpoints.resolve(EndpointParams.ofRegion("us-gov-west-1"))).isNull();
    assertThat(StandardEndpoints.resolve(EndpointParams.ofRegion("eusc-de-east-1"))).isNull();
    assertThat(StandardEndpoints.resolve(EndpointParams.ofRegion("moon-base-1"))).isNull();
  }
}
