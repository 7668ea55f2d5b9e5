import { describe, expect, it } from 'vitest';
import { MemoryRegistry } from '../router/memory-views.js';
import { HealthMonitor } from './health.js';

function setup(probes = { interval_ms: 1000, unhealthy_after: 3, healthy_after: 2 }, k = 4) {
  const reg = new MemoryRegistry(['A', 'B']);
  const mon = new HealthMonitor(['A', 'B'], ['healthy', 'degraded'], reg, probes, {
    consecutive_failures: k,
    cooldown_ms: 5000,
  });
  return { reg, mon };
}

describe('HealthMonitor', () => {
  it('tells the registry the initial health at t = 0', () => {
    const { reg } = setup();
    expect(reg.healthOf(0)).toBe('healthy');
    expect(reg.healthOf(1)).toBe('degraded');
  });

  it('marks a model unhealthy after unhealthy_after failed probes and back after healthy_after', () => {
    const { reg, mon } = setup();
    mon.trueChange(0, 'unhealthy', 500);
    mon.probeResult(0, 'unhealthy', 1000);
    mon.probeResult(0, 'unhealthy', 2000);
    expect(reg.healthOf(0)).toBe('healthy');
    mon.probeResult(0, 'unhealthy', 3000);
    expect(reg.healthOf(0)).toBe('unhealthy');
    mon.trueChange(0, 'healthy', 3500);
    mon.probeResult(0, 'healthy', 4000);
    expect(reg.healthOf(0)).toBe('unhealthy');
    mon.probeResult(0, 'healthy', 5000);
    expect(reg.healthOf(0)).toBe('healthy');
    expect(mon.changes[0]).toEqual([
      { at_ms: 500, true_health: 'unhealthy', detected_at_ms: 3000, delay_ms: 2500 },
      { at_ms: 3500, true_health: 'healthy', detected_at_ms: 5000, delay_ms: 1500 },
    ]);
  });

  it('a failed probe streak is broken by a good probe', () => {
    const { reg, mon } = setup();
    mon.probeResult(0, 'unhealthy', 1000);
    mon.probeResult(0, 'unhealthy', 2000);
    mon.probeResult(0, 'healthy', 3000);
    mon.probeResult(0, 'unhealthy', 4000);
    mon.probeResult(0, 'unhealthy', 5000);
    expect(reg.healthOf(0)).toBe('healthy');
  });

  it('ejects after consecutive failed attempts for the cooldown, then shows the probed health', () => {
    const { reg, mon } = setup();
    mon.trueChange(0, 'unhealthy', 100);
    expect(mon.attemptResult(0, true, 101)).toBe(false);
    expect(mon.attemptResult(0, true, 102)).toBe(false);
    expect(mon.attemptResult(0, false, 103)).toBe(false); // a success resets the streak
    for (let k = 0; k < 3; k++) expect(mon.attemptResult(0, true, 104 + k)).toBe(false);
    expect(mon.attemptResult(0, true, 110)).toBe(true);
    expect(reg.healthOf(0)).toBe('unhealthy');
    expect(mon.changes[0][0].delay_ms).toBe(10);
    mon.ejectEnd(0, 5000); // before the cooldown's end: still out
    expect(reg.healthOf(0)).toBe('unhealthy');
    mon.ejectEnd(0, 5110);
    expect(reg.healthOf(0)).toBe('healthy');
    expect(mon.ejections[0]).toBe(1);
  });

  it('records a change the router never saw as undetected', () => {
    const { mon } = setup();
    mon.trueChange(0, 'unhealthy', 100);
    mon.trueChange(0, 'healthy', 200);
    expect(mon.changes[0][0].detected_at_ms).toBeNull();
    expect(mon.changes[0][1]).toEqual({
      at_ms: 200,
      true_health: 'healthy',
      detected_at_ms: 200,
      delay_ms: 0,
    });
  });
});
