package io.meterbridge.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The records column is JSON written by hand: what it writes, Jackson must read back unchanged. */
class CallRecordsTest {
  @Test
  void encode_thenDecode_givesTheEntriesBack_whateverTheirStringsHold() {
    List<CallRecords.Entry> entries = List.of(
        new CallRecords.Entry(0, "0b7f5e2c-3d1a-4c9e-8f00-1a2b3c4d5e6f", 2, 3, 1_768_471_200_000L, 7, "",
            "1121cfccd5913f0a63fec40a6ffd44ea", 0),
        new CallRecords.Entry(1, "id \"quoted\" \\ back", 4, 5, 1L, 0, "5:team=3:a\"b\n2:x\t=1:\u0001",
            "fp", 9),
        new CallRecords.Entry(2, "ünïcødé ✓", 6, 7, 2L, Integer.MAX_VALUE, "\\", "\"", 0));

    String json = CallRecords.encode(entries);

    assertThat(CallRecords.decode(json)).isEqualTo(entries);
    assertThat(json).doesNotContain("\n").doesNotContain("\t");
  }
}
