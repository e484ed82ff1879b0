package io.meterbridge.client.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegionProviderTest {

  @TempDir Path home;

  private final Map<String, String> variables = new HashMap<>();
  private final Map<String, String> properties = new HashMap<>();

  private RegionProvider chain() {
    return new DefaultRegionProvider(Environment.of(variables, properties, home));
  }

  private void writeConfig(String text) throws IOException {
    Files.createDirectories(home.resolve(".aws"));
    Files.writeString(home.resolve(".aws/config"), text);
  }

  @Test
  void region_awsRegion_winsOverEverythingElse() throws IOException {
    variables.put("AWS_REGION", "eu-west-1");
    variables.put("AWS_DEFAULT_REGION", "us-west-2");
    properties.put("aws.region", "ap-south-1");
    writeConfig("[default]\nregion = sa-east-1\n");

    assertThat(chain().region()).contains("eu-west-1");
  }

  @Test
  void region_awsDefaultRegion_isTheSecondChoice() {
    variables.put("AWS_DEFAULT_REGION", "us-west-2");
    properties.put("aws.region", "ap-south-1");

    assertThat(chain().region()).contains("us-west-2");
  }

  @Test
  void region_systemProperty_beatsTheProfile() throws IOException {
    properties.put("aws.region", "ap-south-1");
    writeConfig("[default]\nregion = sa-east-1\n");

    assertThat(chain().region()).contains("ap-south-1");
  }

  @Test
  void region_profileOfAwsProfile_isTheLastChoice() throws IOException {
    writeConfig("""
        [default]
        region = sa-east-1
        [profile billing]
        region = eu-north-1  # Stockholm
        """);
    variables.put("AWS_PROFILE", "billing");

    assertThat(chain().region()).contains("eu-north-1");
  }

  @Test
  void region_nowhere_isEmpty() {
    assertThat(chain().region()).isEmpty();
  }

  @Test
  void region_nowhere_requireRegionSaysWhereItLooked() {
    assertThatThrownBy(() -> chain().requireRegion())
        .isInstanceOf(CredentialsException.class)
        .hasMessage("No AWS region configured; looked in AWS_REGION, AWS_DEFAULT_REGION, the"
            + " aws.region system property and 'region' in profile 'default' of "
            + home.resolve(".aws/config") + " or " + home.resolve(".aws/credentials")
            + ". Set it on the client builder or with AWS_REGION.");
  }

  @Test
  void region_builderValue_winsOverTheChain() {
    variables.put("AWS_REGION", "eu-west-1");

    assertThat(RegionProvider.of(" us-east-1 ").orElse(chain()).requireRegion())
        .isEqualTo("us-east-1");
  }

  @Test
  void region_composedChainWithNothing_namesEverySource() {
    RegionProvider empty = Optional::empty;

    assertThatThrownBy(() -> empty.orElse(chain()).requireRegion())
        .isInstanceOf(CredentialsException.class)
        .hasMessageContaining("AWS_REGION, AWS_DEFAULT_REGION");
  }

  @Test
  void region_blankBuilderValue_isRejected() {
    assertThatThrownBy(() -> RegionProvider.of("  "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("region is blank");
  }
}
