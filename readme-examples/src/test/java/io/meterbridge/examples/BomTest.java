package io.meterbridge.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The BOM lists every module the build publishes, at the build's version. */
class BomTest {
  private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
  private static final Pattern ARTIFACT = Pattern.compile("<artifactId>(meterbridge-[^<]+)</artifactId>");

  @Test
  void bom_listsEveryPublishedModule_atTheBuildsVersion() throws IOException {
    String bom = Files.readString(ReadmeTest.ROOT.resolve("bom/pom.xml"));
    List<String> listed = new ArrayList<>();
    Matcher m = ARTIFACT.matcher(bom.substring(bom.indexOf("<dependencyManagement>")));
    while (m.find()) {
      listed.add(m.group(1));
    }

    assertThat(listed).containsExactlyInAnyOrderElementsOf(publishedArtifacts());
    assertThat(bom).contains("<artifactId>meterbridge-bom</artifactId>\n  <version>" + projectVersion() + "</version>");
  }

  /** The artifactIds of the modules that are installed and deployed: jars, not skipped, not the BOM. */
  static List<String> publishedArtifacts() throws IOException {
    List<String> published = new ArrayList<>();
    Matcher modules = MODULE.matcher(Files.readString(ReadmeTest.ROOT.resolve("pom.xml")));
    while (modules.find()) {
      String pom = Files.readString(ReadmeTest.ROOT.resolve(modules.group(1)).resolve("pom.xml"));
      if (pom.contains("<maven.deploy.skip>true</maven.deploy.skip>") || pom.contains("<packaging>pom</packaging>")) {
        continue;
      }
      Matcher artifact = ARTIFACT.matcher(pom.substring(pom.indexOf("</parent>")));
      assertThat(artifact.find()).as(modules.group(1) + "/pom.xml names its artifactId").isTrue();
      published.add(artifact.group(1));
    }
    return published;
  }

  /** The version of the parent POM. */
  static String projectVersion() throws IOException {
    Matcher m = Pattern.compile("<artifactId>meterbridge-parent</artifactId>\\s*<version>([^<]+)</version>")
        .matcher(Files.readString(ReadmeTest.ROOT.resolve("pom.xml")));
    assertThat(m.find()).isTrue();
    return m.group(1);
  }
}
