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

  @Test
  void checkpointTimesComeFromTheProfileOrTheModel() {
    AzureTrace t = AzureTrace.embedded(50);
    CheckpointModel model = new CheckpointModel(200, 100);
    // the shipped profile has no checkpoint_ms column: 200 ms + warm MB / 100 MB/s
    FunctionCosts estimated = FunctionMapping.costs(t, CostProfile.defaults(), FunctionMapping.MemorySource.TRACE, model);
    assertThat(estimated.checkpointMs(0)).isEqualTo(200 + 1_880); // function 0: 188 MB
    // a measured column wins, scaled by the function's warm memory over the action's in trace mode
    StringBuilder csv = new StringBuilder("action,cold_ms,warm_ms,dedup_ms,dedup_remote_ms,warm_mem_mb,dedup_mem_mb,exec_ms,checkpoint_ms\n");
    for (int a = 0; a < 10; a++) {
      csv.append("a").append(a).append(",2000,10,200,300,94,40,100,500\n");
    }
    CostProfile measured = CostProfile.read("measured.csv", new StringReader(csv.toString()));
    assertThat(measured.action(3).checkpointMs()).isEqualTo(500);
    FunctionCosts scaled = FunctionMapping.costs(t, measured, FunctionMapping.MemorySource.TRACE, model);
    assertThat(scaled.checkpointMs(0)).as("500 ms * 188 / 94 MB").isEqualTo(1_000);
    FunctionCosts asIs = FunctionMapping.costs(t, measured, FunctionMapping.MemorySource.PROFILE, model);
    assertThat(asIs.checkpointMs(0)).isEqualTo(500);
    assertThatThrownBy(() -> CostProfile.read("bad.csv", new StringReader(
        "action,cold_ms,warm_ms,dedup_ms,dedup_remote_ms,warm_mem_mb,dedup_mem_mb,exec_ms,checkpoint_ms\nx,900,1,100,150,50,20,5,-3\n")))
        .hasMessageContaining("bad.csv line 2").hasMessageContaining("checkpoint_ms must be >= 0");
    assertThatThrownBy(() -> new CheckpointModel(200, 0)).hasMessageContaining("throughput");
  }
}
