package io.medes.simulator.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.medes.loadbalancer.state.FunctionCosts;
import io.medes.simulator.trace.AzureTrace;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

class CostProfileTest {

  @Test
  void defaultsHaveTheTenActionsOfTheOriginal() {
    CostProfile p = CostProfile.defaults();
    assertThat(p.size()).isEqualTo(10);
    assertThat(p.action(0).action()).isEqualTo("vanilla");
    assertThat(p.action(0).warmMemMb()).isEqualTo(17);
    // agent.ini dedup benefit 0.90 -> dedup memory = 17 * 0.10
    assertThat(p.action(0).dedupFraction()).isCloseTo(0.10, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(p.action(9).execMs()).isEqualTo(3000);
  }

  @Test
  void columnsMayComeInAnyOrderAndBadRowsNameTheirLine() {
    CostProfile p = CostProfile.read("t", new StringReader(
        "# measured\nwarm_ms,action,cold_ms,dedup_ms,dedup_remote_ms,warm_mem_mb,dedup_mem_mb,exec_ms\n10,x,900,100,150,50,20,5\n"));
    assertThat(p.action(0).coldMs()).isEqualTo(900);
    assertThat(p.action(0).warmMs()).isEqualTo(10);
    assertThatThrownBy(() -> CostProfile.read("bad.csv", new StringReader(
        "action,cold_ms,warm_ms,dedup_ms,dedup_remote_ms,warm_mem_mb,dedup_mem_mb,exec_ms\nx,900,200,100,150,50,20,5\n")))
        .isInstanceOf(ProfileFormatException.class).hasMessageContaining("bad.csv line 2").hasMessageContaining("warm_ms <= dedup_ms");
    assertThatThrownBy(() -> CostProfile.read("bad.csv", new StringReader("action,cold_ms\n")))
        .hasMessageContaining("missing column 'warm_ms'");
    assertThatThrownBy(() -> CostProfile.read("bad.csv", new StringReader(
        "action,cold_ms,warm_ms,dedup_ms,dedup_remote_ms,warm_mem_mb,dedup_mem_mb,exec_ms\nx,900,1,100,150,50,80,5\n")))
        .hasMessageContaining("dedup_mem_mb <= warm_mem_mb");
  }

  @Test
  void mappingIsDeterministicAndSpreadsOverAllActions() {
    AzureTrace t = AzureTrace.embedded(1000);
    CostProfile p = CostProfile.defaults();
    int[] perAction = new int[p.size()];
    for (int f = 0; f < t.functions(); f++) {
      int a = FunctionMapping.actionOf(t.functionId(f), p.size());
      assertThat(FunctionMapping.actionOf(t.functionId(f), p.size())).isEqualTo(a);
      perAction[a]++;
    }
    for (int count : perAction) {
      assertThat(count).isBetween(60, 140); // about 100 each
    }
    FunctionCosts costs = FunctionMapping.costs(t, p, FunctionMapping.MemorySource.TRACE, new CheckpointModel(200, 100));
    // function 0: 188 MB from the trace; dedup scaled by its action's dedup fraction
    int a0 = FunctionMapping.actionOf(t.functionId(0), p.size());
    assertThat(costs.warmKib(0)).isEqualTo(188 * 1024);
    assertThat(costs.dedupKib(0)).isEqualTo(Math.round(188 * p.action(a0).dedupFraction() * 1024));
    assertThat(costs.coldMs(0)).isEqualTo(p.action(a0).coldMs());
    assertThat(costs.environment(0)).isEqualTo(a0);
  }
}
