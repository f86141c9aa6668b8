package io.twinpath.core.item;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EnvelopeTest {
  @Test
  void keepsRecipientsInOrderWithoutDuplicates() {
    Envelope e = Envelope.of("me@example.org", List.of("b@x.org", "a@x.org", "b@x.org"));
    assertThat(e.mailFrom()).isEqualTo("me@example.org");
    assertThat(e.recipients()).containsExactly("b@x.org", "a@x.org");
  }

  @Test
  void acceptsTheNullSenderAndUtf8Addresses() {
    assertThat(Envelope.of("", List.of("ü@bücher.example")).mailFrom()).isEmpty();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "noat.example.org | not of the form local-part@domain",
        "@example.org | not of the form local-part@domain",
        "user@ | not of the form local-part@domain",
        "'a b@example.org' | contains a space",
        "<a@example.org> | contains a space, control character or one of < >",
        "a@example..org | malformed domain 'example..org'",
      })
  void rejectsBadRecipientsNamingTheValue(String address, String message) {
    assertThatThrownBy(() -> Envelope.of("me@example.org", List.of(address)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + address + "'")
        .hasMessageContaining(message);
  }

  @Test
  void rejectsNoRecipientsTooManyAndTooLong() {
    assertThatThrownBy(() -> Envelope.of("me@example.org", List.of()))
        .hasMessageContaining("no recipients");
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 101; i++) {
      many.add("r" + i + "@example.org");
    }
    assertThatThrownBy(() -> Envelope.of("me@example.org", many))
        .hasMessageContaining("101 recipients");
    String longLocal = "x".repeat(250) + "@example.org";
    assertThatThrownBy(() -> Envelope.of(longLocal, List.of("a@b.org")))
        .hasMessageContaining("262 characters long");
  }
}
