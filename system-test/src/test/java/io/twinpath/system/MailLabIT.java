package io.twinpath.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.twinpath.testing.SystemComponents;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lab itself: two real routes to a real Postfix, and cutting one really cuts it. */
class MailLabIT {
  private static List<String> swaks(String server, MailLab lab, String subject) {
    List<String> c = new ArrayList<>();
    c.add(SystemComponents.requireCommand("swaks", "swaks").toString());
    c.addAll(
        List.of(
            "--server",
            server,
            "--port",
            "587",
            "--tls",
            "--tls-verify",
            "--tls-ca-path",
            lab.caCertificate().toString(),
            "--auth",
            "PLAIN",
            "--auth-user",
            "alice@twinpath.test",
            "--auth-password",
            "secret",
            "--from",
            "alice@twinpath.test",
            "--to",
            "bob@twinpath.test",
            "--h-Subject",
            subject,
            "--timeout",
            "5"));
    return c;
  }

  @Test
  void bothRoutesReachTheMailServerAndCuttingTheHostRouteCutsOnlyIt() {
    try (MailLab lab = MailLab.up()) {
      MailLab.exec(lab.inHostNamespace(swaks(lab.mailFromHost(), lab, "via host")));
      MailLab.exec(swaks(lab.mailFromCell(), lab, "via cell"));
      await().atMost(Duration.ofSeconds(20)).until(() -> lab.mailbox("bob").size() == 2);

      lab.cutHostRoute();
      assertThatThrownBy(
              () -> MailLab.exec(lab.inHostNamespace(swaks(lab.mailFromHost(), lab, "cut"))))
          .hasMessageContaining("failed");
      MailLab.exec(swaks(lab.mailFromCell(), lab, "still via cell"));
      await().atMost(Duration.ofSeconds(20)).until(() -> lab.mailbox("bob").size() == 3);

      lab.healHostRoute();
      MailLab.exec(lab.inHostNamespace(swaks(lab.mailFromHost(), lab, "healed")));
      await().atMost(Duration.ofSeconds(20)).until(() -> lab.mailbox("bob").size() == 4);
      assertThat(lab.postfixLog()).contains("sasl_username=alice@twinpath.test");
    }
  }
}
