package io.twinpath.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TempDirsTest {
  @Test
  void deletesANestedTreeAndToleratesAMissingOne(@TempDir Path tmp) throws Exception {
    Path top = tmp.resolve("fixture");
    Files.createDirectories(top.resolve("a/b"));
    Files.writeString(top.resolve("a/b/file.txt"), "x");
    Files.writeString(top.resolve("log"), "y");

    TempDirs.delete(top);
    assertThat(top).doesNotExist();

    TempDirs.delete(top); // a second call is fine
    assertThat(tmp).isEmptyDirectory();
  }
}
