import { describe, expect, it } from 'vitest';
import { defaultModelSpec } from '../core/model-spec.js';
import { Engine } from '../engine/engine.js';
import { RngStreams } from '../engine/rng.js';
import type { Health } from '../router/types.js';
import { LiveCluster } from './live-cluster.js';

describe('LiveCluster.processGone', () => {
  it('makes the model unhealthy now and tells the health check as after unhealthy_after failed probes', () => {
    const engine = new Engine();
    const models = [defaultModelSpec('a'), defaultModelSpec('b')];
    const c = new LiveCluster(models, engine, { now: () => 0, complete: () => {} }, new RngStreams(1));
    const told: string[] = [];
    const sink = {
      trueChange: (i: number, h: Health, now: number) => told.push(`true ${i} ${h} ${now}`),
      probeResult: (i: number, h: Health, now: number) => told.push(`probe ${i} ${h} ${now}`),
    };
    c.processGone(1, sink, 40, 3);
    expect([c.health(0), c.health(1)]).toEqual(['healthy', 'unhealthy']);
    expect(told).toEqual([
      'true 1 unhealthy 40',
      'probe 1 unhealthy 40',
      'probe 1 unhealthy 40',
      'probe 1 unhealthy 40',
    ]);
    told.length = 0;
    c.processGone(0, sink, 50, 0); // at least one probe result
    expect(told).toEqual(['true 0 unhealthy 50', 'probe 0 unhealthy 50']);
  });
});
