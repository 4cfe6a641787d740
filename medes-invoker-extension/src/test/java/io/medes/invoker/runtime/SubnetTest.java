package io.medes.invoker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SubnetTest {
  @Test
  void gatewayIsTheFirstHostAndSandboxesFollowIt() {
    Subnet s = Subnet.parse("10.77.0.0/16");
    assertThat(s.gateway()).isEqualTo("10.77.0.1");
    assertThat(s.sandboxAddress(0)).isEqualTo("10.77.0.2");
    assertThat(s.sandboxAddress(254)).isEqualTo("10.77.1.0");
    assertThat(s.sandboxCapacity()).isEqualTo(65533);
    assertThat(s.sandboxAddress(s.sandboxCapacity() - 1)).isEqualTo("10.77.255.254");
    assertThat(s).hasToString("10.77.0.0/16");
  }

  @Test
  void refusesMalformedSubnetsWithTheirText() {
    assertThatThrownBy(() -> Subnet.parse("10.77.0.0")).hasMessageContaining("a.b.c.d/n").hasMessageContaining("10.77.0.0");
    assertThatThrownBy(() -> Subnet.parse("10.77.0.1/16")).hasMessageContaining("host bits");
    assertThatThrownBy(() -> Subnet.parse("10.300.0.0/16")).hasMessageContaining("300");
    assertThatThrownBy(() -> Subnet.parse("10.77.0.0/31")).hasMessageContaining("8..30");
    assertThatThrownBy(() -> Subnet.parse("10.77.0.0/x")).hasMessageContaining("prefix");
    assertThatThrownBy(() -> Subnet.parse("10.77.0.0/24").sandboxAddress(253)).hasMessageContaining("253");
  }
}
