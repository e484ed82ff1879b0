package io.meterbridge.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's code cannot drift from the code that CI compiles and runs: each {@code ```java}
 * block follows a marker {@code <!-- source: path -->} and must be that file without its package
 * line; each example file is shown; the Maven coordinates name the build's version.
 */
class ReadmeTest {
  static final Path ROOT = Path.of(System.getProperty("meterbridge.root", ".."));
  private static final Pattern MARKER = Pattern.compile("<!-- source: (\\S+) -->");
  private static final Path EXAMPLES = Path.of("readme-examples/src");

  record Block(String language, int line, String marker, String text) {}

  @Test
  void everyJavaBlock_isItsSourceFile_withoutThePackageLine() throws IOException {
    List<Block> java = blocks().stream().filter(b -> b.language().equals("java")).toList();
    assertThat(java).as("java blocks in README.md").isNotEmpty();
    for (Block block : java) {
      if (block.marker() == null) {
        fail("README.md line " + block.line() + ": a java block without a '<!-- source: readme-examples/src/... -->'"
            + " line before it; put the code in readme-examples and name the file there");
      }
      Path file = ROOT.resolve(block.marker());
      assertThat(file).as("the source of README.md line " + block.line()).isRegularFile();
      String expected = withoutPackage(Files.readString(file));
      if (!expected.equals(block.text())) {
        fail("README.md line " + block.line() + " differs from " + block.marker() + " (first difference: "
            + firstDifference(expected, block.text()) + "); copy the file, without its package line, into README.md");
      }
    }
  }

  @Test
  void everyExampleFile_isShownInTheReadme() throws IOException {
    List<String> shown = blocks().stream().map(Block::marker).filter(m -> m != null).toList();
    List<String> sources;
    try (Stream<Path> files = Files.walk(ROOT.resolve(EXAMPLES))) {
      sources = files.filter(f -> f.toString().endsWith(".java"))
          .filter(f -> !f.getFileName().toString().matches("(ExamplesTest|ReadmeTest|BomTest)\\.java"))
          .map(f -> ROOT.relativize(f).toString().replace('\\', '/'))
          .toList();
    }
    assertThat(shown).containsAll(sources);
  }

  @Test
  void mavenCoordinates_nameThisBuildsVersion() throws IOException {
    String version = BomTest.projectVersion();
    List<Block> xml = blocks().stream().filter(b -> b.language().equals("xml")).toList();
    assertThat(xml).as("xml blocks in README.md").isNotEmpty();
    Pattern dependency = Pattern.compile(
        "<groupId>io\\.meterbridge</groupId>\\s*<artifactId>([^<]+)</artifactId>\\s*(?:<version>([^<]+)</version>)?");
    int found = 0;
    for (Block block : xml) {
      Matcher m = dependency.matcher(block.text());
      while (m.find()) {
        found++;
        List<String> known = new ArrayList<>(BomTest.publishedArtifacts());
        known.add("meterbridge-bom");
        assertThat(known).as("README.md line " + block.line()).contains(m.group(1));
        if (m.group(2) != null) {
          assertThat(m.group(2)).as("the version at README.md line " + block.line()).isEqualTo(version);
        }
      }
    }
    assertThat(found).isPositive();
  }

  static List<Block> blocks() throws IOException {
    List<String> lines = Files.readAllLines(ROOT.resolve("README.md"));
    List<Block> blocks = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (!line.startsWith("```") || line.length() == 3) {
        continue;
      }
      String language = line.substring(3).trim();
      int start = i;
      String marker = null;
      for (int j = i - 1; j >= 0; j--) {
        if (!lines.get(j).isBlank()) {
          Matcher m = MARKER.matcher(lines.get(j).trim());
          marker = m.matches() ? m.group(1) : null;
          break;
        }
      }
      StringBuilder text = new StringBuilder();
      for (i++; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
        text.append(lines.get(i)).append('\n');
      }
      blocks.add(new Block(language, start + 1, marker, text.toString()));
    }
    return blocks;
  }

  static String withoutPackage(String source) {
    return source.replace("\r\n", "\n").replaceFirst("\\Apackage [\\w.]+;\n\n?", "");
  }

  private static String firstDifference(String expected, String actual) {
    String[] e = expected.split("\n", -1);
    String[] a = actual.split("\n", -1);
    for (int i = 0; i < Math.max(e.length, a.length); i++) {
      String el = i < e.length ? e[i] : "(end)";
      String al = i < a.length ? a[i] : "(end)";
      if (!el.equals(al)) {
        return "line " + (i + 1) + " of the block is '" + al + "', the file has '" + el + "'";
      }
    }
    return "none";
  }
}
