package io.meterbridge.client.endpoints;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code aws.partition} function of the endpoint rules: which partition a region belongs to,
 * and that partition's outputs ({@code name}, {@code dnsSuffix}, {@code supportsFIPS}, ...).
 *
 * <p>Lookup follows the rules engine's definition: a region listed by a partition belongs to it
 * (with the region's own overrides of the outputs, if any), else the first partition whose
 * {@code regionRegex} matches, else {@code aws}, so that a region launched after this file was
 * bundled still resolves to a plausible endpoint.
 */
final class Partitions {

  private record Partition(String id, Pattern regionRegex, Map<String, Object> outputs) {}

  private final List<Partition> partitions;
  /** Every listed region, mapped to its partition's outputs merged with its own overrides. */
  private final Map<String, Map<String, Object>> listedRegions;
  private final Map<String, Object> fallback;

  private Partitions(
      List<Partition> partitions,
      Map<String, Map<String, Object>> listedRegions,
      Map<String, Object> fallback) {
    this.partitions = partitions;
    this.listedRegions = listedRegions;
    this.fallback = fallback;
  }

  static Partitions parse(InputStream in) {
    Map<String, Object> document = RuleSet.object(JsonTree.read(in), "partitions document");
    List<Partition> partitions = new ArrayList<>();
    Map<String, Map<String, Object>> listedRegions = new HashMap<>();
    for (Object element : RuleSet.list(document.get("partitions"), "partitions")) {
      Map<String, Object> partition = RuleSet.object(element, "partition");
      String id = RuleSet.string(partition.get("id"), "partition id");
      Map<String, Object> outputs = Map.copyOf(
          RuleSet.object(partition.get("outputs"), "outputs of partition " + id));
      Pattern regex = Pattern.compile(
          RuleSet.string(partition.get("regionRegex"), "regionRegex of partition " + id));
      partitions.add(new Partition(id, regex, outputs));

      Object regions = partition.get("regions");
      if (regions != null) {
        RuleSet.object(regions, "regions of partition " + id).forEach((region, overrides) -> {
          Map<String, Object> merged = new LinkedHashMap<>(outputs);
          RuleSet.object(overrides, "region " + region).forEach((key, value) -> {
            // A region entry carries a description beside its overrides; only outputs matter.
            if (!key.equals("description") && value != null) {
              merged.put(key, value);
            }
          });
          listedRegions.putIfAbsent(region, Map.copyOf(merged));
        });
      }
    }
    if (partitions.isEmpty()) {
      throw new IllegalArgumentException("the partitions document lists no partition");
    }
    Map<String, Object> fallback = partitions.stream()
        .filter(p -> p.id().equals("aws"))
        .findFirst()
        .orElse(partitions.get(0))
        .outputs();
    return new Partitions(List.copyOf(partitions), Map.copyOf(listedRegions), fallback);
  }

  /** The outputs of the partition of {@code region}; never null, see the class comment. */
  Map<String, Object> lookup(String region) {
    Map<String, Object> listed = listedRegions.get(region);
    if (listed != null) {
      return listed;
    }
    for (Partition partition : partitions) {
      if (partition.regionRegex().matcher(region).find()) {
        return partition.outputs();
      }
    }
    return fallback;
  }
}
