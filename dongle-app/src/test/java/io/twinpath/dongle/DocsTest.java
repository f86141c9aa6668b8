package io.twinpath.dongle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/dongle.md documents every configuration key the code accepts. */
class DocsTest {
  @Test
  void everyKeyIsDocumented() throws Exception {
    Path docs = Path.of("..", "docs", "dongle.md");
    String text = Files.readString(docs);
    for (String key : DongleConfig.KEYS.keySet()) {
      String base = key.endsWith("-file") ? key.substring(0, key.length() - 5) : key;
      assertThat(text).as("docs/dongle.md mentions %s", key).contains("`" + base + "`");
    }
  }
}
