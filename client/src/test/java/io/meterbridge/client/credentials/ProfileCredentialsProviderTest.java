package io.meterbridge.client.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meterbridge.auth.AwsCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileCredentialsProviderTest {

  @TempDir Path home;

  private final Map<String, String> variables = new HashMap<>();
  private final Map<String, String> properties = new HashMap<>();

  private Environment environment() {
    return Environment.of(variables, properties, home);
  }

  private void write(String relative, String text) throws IOException {
    Path file = home.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  @Test
  void profileProvider_defaultProfileInCredentialsFile_returnsItsKeys() throws IOException {
    write(".aws/credentials", """
        [default]
        aws_access_key_id = AKIDDEFAULT
        aws_secret_access_key = default-secret
        """);

    assertThat(ProfileCredentialsProvider.create(environment()).resolveCredentials())
        .isEqualTo(AwsCredentials.of("AKIDDEFAULT", "default-secret"));
  }

  @Test
  void profileProvider_awsProfileVariable_selectsTheProfile() throws IOException {
    write(".aws/credentials", """
        [default]
        aws_access_key_id = AKIDDEFAULT
        aws_secret_access_key = default-secret
        [billing]
        aws_access_key_id = AKIDBILLING
        aws_secret_access_key = billing-secret
        aws_session_token = billing-token
        """);
    variables.put("AWS_PROFILE", "billing");

    AwsCredentials credentials = ProfileCredentialsProvider.create(environment())
        .resolveCredentials();

    assertThat(credentials.accessKeyId()).isEqualTo("AKIDBILLING");
    assertThat(credentials.sessionToken()).contains("billing-token");
  }

  @Test
  void profileProvider_awsProfileSystemProperty_winsOverVariable() throws IOException {
    write(".aws/credentials", """
        [a]
        aws_access_key_id = AKIDA
        aws_secret_access_key = a
        [b]
        aws_access_key_id = AKIDB
        aws_secret_access_key = b
        """);
    variables.put("AWS_PROFILE", "a");
    properties.put("aws.profile", "b");

    assertThat(ProfileCredentialsProvider.create(environment()).resolveCredentials().accessKeyId())
        .isEqualTo("AKIDB");
  }

  @Test
  void profileProvider_explicitName_winsOverAwsProfile() throws IOException {
    write(".aws/credentials", """
        [a]
        aws_access_key_id = AKIDA
        aws_secret_access_key = a
        [b]
        aws_access_key_id = AKIDB
        aws_secret_access_key = b
        """);
    variables.put("AWS_PROFILE", "a");

    assertThat(ProfileCredentialsProvider.create(environment(), "b").resolveCredentials()
        .accessKeyId()).isEqualTo("AKIDB");
  }

  @Test
  void profileProvider_configFileProfileSection_isUsed() throws IOException {
    write(".aws/config", """
        [profile ops]
        region = eu-west-1
        aws_access_key_id = AKIDOPS
        aws_secret_access_key = ops-secret
        """);

    assertThat(ProfileCredentialsProvider.create(environment(), "ops").resolveCredentials()
        .accessKeyId()).isEqualTo("AKIDOPS");
  }

  @Test
  void profileProvider_configFileBareSectionOtherThanDefault_isNotAProfile() throws IOException {
    write(".aws/config", """
        [ops]
        aws_access_key_id = AKIDOPS
        aws_secret_access_key = ops-secret
        """);

    assertThatThrownBy(() ->
        ProfileCredentialsProvider.create(environment(), "ops").resolveCredentials())
        .isInstanceOf(CredentialsException.class)
        .hasMessageStartingWith("No profile 'ops' in ");
  }

  @Test
  void profileProvider_profileInBothFiles_credentialsFileWinsPerProperty() throws IOException {
    write(".aws/config", """
        [profile shared]
        aws_access_key_id = AKIDCONFIG
        aws_secret_access_key = config-secret
        aws_session_token = config-token
        """);
    write(".aws/credentials", """
        [shared]
        aws_access_key_id = AKIDCREDS
        aws_secret_access_key = creds-secret
        """);

    AwsCredentials credentials =
        ProfileCredentialsProvider.create(environment(), "shared").resolveCredentials();

    assertThat(credentials.accessKeyId()).isEqualTo("AKIDCREDS");
    assertThat(credentials.secretAccessKey()).isEqualTo("creds-secret");
    assertThat(credentials.sessionToken()).as("merged from config").contains("config-token");
  }

  @Test
  void profileProvider_fileVariables_overrideLocationsAndExpandTilde() throws IOException {
    write("elsewhere/creds", """
        [default]
        aws_access_key_id = AKIDELSEWHERE
        aws_secret_access_key = elsewhere
        """);
    variables.put("AWS_SHARED_CREDENTIALS_FILE", "~/elsewhere/creds");
    variables.put("AWS_CONFIG_FILE", home.resolve("elsewhere/config").toString());

    assertThat(ProfileCredentialsProvider.create(environment()).resolveCredentials()
        .accessKeyId()).isEqualTo("AKIDELSEWHERE");
  }

  @Test
  void profileProvider_commentsWhitespaceAndContinuations_areTolerated() throws IOException {
    write(".aws/credentials", """
        # leading comment
        ; another comment

          [ messy ]   # comment after the section
        aws_access_key_id=AKIDMESSY ; inline comment
        description = a value
        	aws_secret_access_key = continues description, so is not the secret key
        aws_secret_access_key   =   s3cr#t;value   # the # and ; inside are kept
        s3 =
          max_concurrent_requests = 10
          signature_version = s3v4
        this line is malformed and skipped
        aws_session_token = token
        """);

    AwsCredentials credentials =
        ProfileCredentialsProvider.create(environment(), "messy").resolveCredentials();

    assertThat(credentials.accessKeyId()).isEqualTo("AKIDMESSY");
    assertThat(credentials.secretAccessKey()).isEqualTo("s3cr#t;value");
    assertThat(credentials.sessionToken()).contains("token");
  }

  @Test
  void profileFile_parse_keepsSubPropertiesAndContinuationsAsText() {
    Map<String, Map<String, String>> profiles = ProfileFile.parse("""
        [profile p]
        s3 =
          max_concurrent_requests = 10
          signature_version = s3v4
        description = first
          second
        [sso-session corp]
        sso_region = us-east-1
        """, true);

    assertThat(profiles).containsOnlyKeys("p");
    assertThat(profiles.get("p"))
        .containsEntry("s3", "max_concurrent_requests = 10\nsignature_version = s3v4")
        .containsEntry("description", "first\nsecond");
  }

  @Test
  void profileFile_parse_prefixedDefaultBeatsBareDefaultInConfig() {
    Map<String, Map<String, String>> profiles = ProfileFile.parse("""
        [default]
        region = us-west-2
        [profile default]
        region = eu-central-1
        """, true);

    assertThat(profiles.get("default")).containsExactly(Map.entry("region", "eu-central-1"));
  }

  @Test
  void profileFile_parse_windowsLineEndingsAndByteOrderMark() {
    Map<String, Map<String, String>> profiles =
        ProfileFile.parse("\uFEFF[default]\r\naws_access_key_id = AKID\r\n", false);

    assertThat(profiles.get("default")).containsEntry("aws_access_key_id", "AKID");
  }

  @Test
  void profileProvider_profileAbsent_namesTheProfileAndBothFiles() {
    assertThatThrownBy(() ->
        ProfileCredentialsProvider.create(environment(), "missing").resolveCredentials())
        .isInstanceOf(CredentialsException.class)
        .hasMessage("No profile 'missing' in " + home.resolve(".aws/credentials") + " or "
            + home.resolve(".aws/config"));
  }

  @Test
  void profileProvider_secretMissing_saysWhichKeyWithoutLeakingTheOther() throws IOException {
    write(".aws/credentials", """
        [default]
        aws_access_key_id = AKIDHALF
        aws_session_token = half-token-secret
        """);

    assertThatThrownBy(() -> ProfileCredentialsProvider.create(environment()).resolveCredentials())
        .isInstanceOf(CredentialsException.class)
        .hasMessage("The profile 'default' in " + home.resolve(".aws/credentials") + " or "
            + home.resolve(".aws/config") + " has no aws_secret_access_key")
        .message().doesNotContain("half-token-secret");
  }

  @Test
  void profileProvider_roleArnWithoutSource_saysWhatToAdd() throws IOException {
    write(".aws/config", """
        [profile admin]
        role_arn = arn:aws:iam::123456789012:role/admin
        """);

    assertThatThrownBy(() ->
        ProfileCredentialsProvider.create(environment(), "admin").resolveCredentials())
        .isInstanceOf(CredentialsException.class)
        .hasMessage("The profile 'admin' in " + home.resolve(".aws/credentials") + " or "
            + home.resolve(".aws/config") + " has role_arn but neither source_profile nor"
            + " credential_source; add the one whose credentials may assume the role");
  }

  @Test
  void profileProvider_ssoSessionWithoutSection_namesTheMissingSection() throws IOException {
    write(".aws/config", """
        [profile dev]
        sso_session = corp
        sso_account_id = 123456789012
        sso_role_name = Metering
        """);

    assertThatThrownBy(() ->
        ProfileCredentialsProvider.create(environment(), "dev").resolveCredentials())
        .isInstanceOf(CredentialsException.class)
        .hasMessageEndingWith("names sso_session corp, but " + home.resolve(".aws/config")
            + " has no [sso-session corp] section");
  }

  @Test
  void profileProvider_fileAppearsAfterAFailedLoad_isPickedUpOnTheNextCall() throws IOException {
    ProfileCredentialsProvider provider = ProfileCredentialsProvider.create(environment());
    assertThatThrownBy(provider::resolveCredentials).isInstanceOf(CredentialsException.class);

    write(".aws/credentials", """
        [default]
        aws_access_key_id = AKIDLATE
        aws_secret_access_key = late
        """);

    assertThat(provider.resolveCredentials().accessKeyId()).isEqualTo("AKIDLATE");
  }

  @Test
  void profileProvider_toString_namesTheProfileOnly() throws IOException {
    write(".aws/credentials", """
        [default]
        aws_access_key_id = AKIDDEFAULT
        aws_secret_access_key = default-secret
        """);
    ProfileCredentialsProvider provider = ProfileCredentialsProvider.create(environment(), "x");

    assertThat(provider).hasToString("ProfileCredentialsProvider[x]");
  }
}
