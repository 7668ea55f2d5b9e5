import { describe, expect, it } from 'vitest';
import type { ModelSpec } from '../core/types.js';
import { MemoryRegistry } from '../router/memory-views.js';
import { HealthMonitor } from './health.js';
import { Presence } from './presence.js';

function setup(initially: ('present' | 'absent')[]) {
  const ids = initially.map((_, i) => `m${i}`);
  const reg = new MemoryRegistry(ids);
  const mon = new HealthMonitor(
    ids,
    ids.map(() => 'healthy'),
    reg,
    { interval_ms: 1000, unhealthy_after: 2, healthy_after: 2 },
    { consecutive_failures: 2, cooldown_ms: 5000, max_ejection_percent: 100 },
  );
  const models = ids.map((id, i) => ({ id, initially: initially[i] }) as ModelSpec);
  return { reg, mon, p: new Presence(models, reg, mon) };
}

describe('Presence', () => {
  it('keeps every index; an absent model shows unhealthy and returns with the checked health', () => {
    const { reg, p } = setup(['present', 'absent']);
    const version = reg.version();
    expect(reg.listModels().map((m) => m.id)).toEqual(['m0', 'm1']);
    expect(reg.healthOf(1)).toBe('unhealthy');
    expect(p.isAbsent(1)).toBe(true);
    expect(p.shown(1, 'healthy')).toBe('unhealthy');
    p.set(1, true, 1000);
    expect(reg.healthOf(1)).toBe('healthy');
    p.set(0, false, 2000);
    expect(reg.healthOf(0)).toBe('unhealthy');
    expect(reg.version()).toBe(version); // never re-indexed: the router keeps its tables
    // Adding a present model (or removing an absent one) changes nothing.
    p.set(1, true, 3000);
    p.set(0, false, 3000);
    expect([reg.healthOf(0), reg.healthOf(1)]).toEqual(['unhealthy', 'healthy']);
  });

  it('an ejection that ends while the model is out does not bring it back; add releases it', () => {
    const { reg, mon, p } = setup(['present']);
    // Two failed attempts in a row eject m0 until 5,100 ms.
    mon.attemptResult(0, true, 0);
    expect(mon.attemptResult(0, true, 100)).toBe(true);
    expect(reg.healthOf(0)).toBe('unhealthy');
    p.set(0, false, 200);
    // The driver skips ejectEnd while the model is absent; on add the finished ejection is released.
    p.set(0, true, 9000);
    expect(reg.healthOf(0)).toBe('healthy');
    expect(mon.shownHealth(0)).toBe('healthy');
  });

  it('a model added during its ejection stays out until the cooldown ends', () => {
    const { reg, mon, p } = setup(['present']);
    mon.attemptResult(0, true, 0);
    mon.attemptResult(0, true, 100);
    p.set(0, false, 200);
    p.set(0, true, 1000);
    expect(reg.healthOf(0)).toBe('unhealthy');
    mon.ejectEnd(0, 5100);
    expect(reg.healthOf(0)).toBe('healthy');
  });
});
