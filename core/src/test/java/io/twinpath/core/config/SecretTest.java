package io.twinpath.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class SecretTest {
  @Test
  void aWrittenSecretIsNeverPrinted() {
    Secret s = Secret.of("hunter2");
    assertThat(s.toString()).isEqualTo("(hidden)").doesNotContain("hunter2");
    assertThat(Secret.literal("x".toCharArray(), "host.conf:3"))
        .hasToString("(hidden, host.conf:3)");
    assertThat(s.chars()).containsExactly('h', 'u', 'n', 't', 'e', 'r', '2');
    assertThat(s.isEmpty()).isFalse();
    assertThat(Secret.of("").isEmpty()).isTrue();
  }

  @Test
  void comparesByValue() {
    assertThat(Secret.of("abc")).isEqualTo(Secret.of("abc".toCharArray()));
    assertThat(Secret.of("abc")).hasSameHashCodeAs(Secret.of("abc"));
    assertThat(Secret.of("abc")).isNotEqualTo(Secret.of("abd"));
    assertThat(Secret.of("abc").matches("abc".toCharArray())).isTrue();
    assertThat(Secret.of("abc").matches("ab".toCharArray())).isFalse();
    assertThat(Secret.of("abc").matches("abcd".toCharArray())).isFalse();
  }

  @Test
  void theCallerMayWipeItsCopy() {
    Secret s = Secret.of("abc");
    char[] c = s.chars();
    java.util.Arrays.fill(c, '\0');
    assertThat(s.chars()).containsExactly('a', 'b', 'c');
  }

  @Test
  void aCommandsFirstLineIsTheSecret() throws IOException {
    Secret s = Secret.command("printf 'pw1\\nignored\\n'", "host.conf:7");
    assertThat(s.isCommand()).isTrue();
    assertThat(s.command()).isEqualTo("printf 'pw1\\nignored\\n'");
    assertThat(s.reveal()).containsExactly('p', 'w', '1');
    assertThat(s).hasToString("(password from a command, host.conf:7)");
    assertThatThrownBy(s::chars).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aFailingCommandSaysSoWithoutItsOutput() {
    assertThatThrownBy(() -> Secret.command("echo secret-out; exit 3", "host.conf:8").reveal())
        .isInstanceOf(IOException.class)
        .hasMessage(
            "the password command (host.conf:8) exited with status 3; run it by hand to see why");
    assertThatThrownBy(() -> Secret.command("true", "host.conf:9").reveal())
        .hasMessage("the password command (host.conf:9) printed nothing on its first line");
  }
}
