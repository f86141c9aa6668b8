package io.twinpath.modemsim.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class AtCommandTest {
  @Test
  void splitsExtendedAndBasicCommands() throws Exception {
    List<AtCommand> cmds = AtCommand.parseLine("E0V1+CMEE=2;+CGDCONT=1,\"IP\",\"a;b,c\";+CSQ");
    assertThat(cmds)
        .extracting(AtCommand::toString)
        .containsExactly("E0", "V1", "+CMEE=2", "+CGDCONT=1,\"IP\",\"a;b,c\"", "+CSQ");
    AtCommand pdp = cmds.get(3);
    assertThat(pdp.type()).isEqualTo(AtCommand.Type.SET);
    assertThat(pdp.integer(0)).isEqualTo(1);
    assertThat(pdp.str(1)).isEqualTo("IP");
    assertThat(pdp.str(2)).isEqualTo("a;b,c"); // separators inside quotes stay
    assertThat(cmds.get(4).type()).isEqualTo(AtCommand.Type.EXEC);
  }

  @Test
  void readTestAndEmptyParameters() throws Exception {
    assertThat(AtCommand.parseLine("+cpin?").get(0).type()).isEqualTo(AtCommand.Type.READ);
    assertThat(AtCommand.parseLine("+CPIN?").get(0).name()).isEqualTo("+CPIN");
    assertThat(AtCommand.parseLine("+CREG=?").get(0).type()).isEqualTo(AtCommand.Type.TEST);
    AtCommand c = AtCommand.parseLine("+QIOPEN=1,0,\"TCP\",\"h\",25,,2").get(0);
    assertThat(c.has(5)).isFalse();
    assertThat(c.integerOr(5, 0, 0, 65535)).isZero();
    assertThat(c.integer(6)).isEqualTo(2);
    assertThat(AtCommand.parseLine("")).isEmpty();
  }

  @Test
  void badNumbersAndLinesFail() {
    assertThatThrownBy(() -> AtCommand.parseLine("+CMEE=x").get(0).integer(0))
        .isInstanceOf(AtError.class);
    assertThatThrownBy(() -> AtCommand.parseLine("+CMEE=\"1\"").get(0).integer(0))
        .isInstanceOf(AtError.class);
    assertThatThrownBy(() -> AtCommand.parseLine("+CMEE=5").get(0).integer(0, 0, 2))
        .isInstanceOf(AtError.class);
    assertThatThrownBy(() -> AtCommand.parseLine("=1"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
