package io.twinpath.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The broker and the pty pair leave no temporary directory behind. */
class TempDirsIT {
  @Test
  void aClosedBrokerLeavesNoDirectoryBehind() {
    MosquittoBroker broker = MosquittoBroker.start();
    Path dir = broker.directory();
    assertThat(dir.resolve("mosquitto.conf")).exists();
    broker.close();
    assertThat(broker.isRunning()).isFalse();
    assertThat(dir).doesNotExist();
  }

  @Test
  void aClosedPtyPairLeavesNoDirectoryBehind() {
    PtyPair pair = PtyPair.open();
    Path dir = pair.directory();
    assertThat(pair.a()).exists();
    pair.close();
    assertThat(dir).doesNotExist();
  }
}
