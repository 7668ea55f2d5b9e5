import { describe, expect, it } from 'vitest';
import { MemoryRegistry } from '../router/memory-views.js';
import { HealthMonitor } from './health.js';

const setupProbes = { interval_ms: 1000, unhealthy_after: 3, healthy_after: 2 };

function setup(probes = { interval_ms: 1000, unhealthy_after: 3, healthy_after: 2 }, k = 4) {
  const reg = new MemoryRegistry(['A', 'B']);
  const mon = new HealthMonitor(['A', 'B'], ['healthy', 'degraded'], reg, probes, {
    consecutive_failures: k,
    cooldown_ms: 5000,
    max_ejection_percent: 100,
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

  it('max_ejection_percent: an ejection that would eject more of the pool does not happen', () => {
    const ids = ['A', 'B', 'C', 'D'];
    const reg = new MemoryRegistry(ids);
    const mon = new HealthMonitor(ids, ['healthy', 'healthy', 'healthy', 'healthy'], reg, setupProbes, {
      consecutive_failures: 1,
      cooldown_ms: 5000,
      max_ejection_percent: 50,
    });
    expect(mon.attemptResult(0, true, 0)).toBe(true); // 1 of 4
    expect(mon.attemptResult(1, true, 1000)).toBe(true); // 2 of 4
    expect(mon.attemptResult(2, true, 2000)).toBe(false); // 3 of 4 > 50%
    expect(reg.healthOf(2)).toBe('healthy');
    // D is out of the pool: the pool is 3, so even the second ejection would be too many now.
    const inPool = (j: number) => j !== 3;
    expect(mon.attemptResult(2, true, 3000, inPool)).toBe(false);
    // A's ejection is over at 5 s: C's next failure ejects it (the streak was kept).
    mon.ejectEnd(0, 5000);
    expect(mon.attemptResult(2, true, 5000)).toBe(true);
    expect(Array.from(mon.ejections)).toEqual([1, 1, 1, 0]);
    expect(Array.from(mon.ejectionsPrevented)).toEqual([0, 0, 2, 0]);
  });
});
