package io.meterbridge.gateway.internal;

import io.meterbridge.gateway.CatalogProduct;
import io.meterbridge.gateway.GatewayException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The products of a catalog file: a seed file of the server ({@code serve --seed}), of which the
 * gateway reads each {@code products[]} entry's {@code productCode}, {@code type} and {@code
 * dimensions} and ignores everything else. Every problem is reported at once, with its JSON path.
 */
final class CatalogFile {
  private CatalogFile() {}

  /**
   * The products of {@code file}.
   *
   * @throws GatewayException if the file cannot be read or a product entry is invalid
   */
  static List<CatalogProduct> read(Path file) {
    Object document;
    try {
      document = Json.read(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new GatewayException("catalog file " + file + " cannot be read: " + e.getMessage(), e);
    }
    if (!(document instanceof Map<?, ?> root)) {
      throw new GatewayException("catalog file " + file + " must hold a JSON object with a products array");
    }
    Object products = root.get("products");
    if (!(products instanceof List<?> entries)) {
      throw new GatewayException("catalog file " + file + " has no products array");
    }
    List<CatalogProduct> out = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      String where = "products[" + i + "]";
      if (!(entries.get(i) instanceof Map<?, ?> entry)) {
        problems.add(where + ": must be an object");
        continue;
      }
      Object code = entry.get("productCode");
      Object type = entry.get("type");
      Object dimensions = entry.get("dimensions");
      if (!(code instanceof String)) {
        problems.add(where + ".productCode: required, a string");
        continue;
      }
      if (!(type instanceof String)) {
        problems.add(where + ".type: required, one of SAAS, AMI, CONTAINER");
        continue;
      }
      List<String> dims = new ArrayList<>();
      if (dimensions != null) {
        if (!(dimensions instanceof List<?> list) || !list.stream().allMatch(d -> d instanceof String)) {
          problems.add(where + ".dimensions: must be an array of strings");
          continue;
        }
        list.forEach(d -> dims.add((String) d));
      }
      try {
        out.add(new CatalogProduct((String) code, (String) type, dims));
      } catch (IllegalArgumentException e) {
        problems.add(where + ": " + e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new GatewayException("catalog file " + file + " has " + problems.size() + " problem"
          + (problems.size() == 1 ? "" : "s") + ", nothing was loaded:\n  " + String.join("\n  ", problems));
    }
    return out;
  }
}
