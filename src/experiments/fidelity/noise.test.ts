import { describe, expect, it } from 'vitest';
import { cpuShareProbe, judge, MIN_CPU_SHARE, medianOf, NoiseMeter, spreadPct } from './noise.js';

describe('spreadPct', () => {
  it('is the farthest value from the median in percent of it', () => {
    expect(spreadPct([100, 104, 95])).toBeCloseTo(5, 10); // median 100: 95 is 5 away, 104 is 4
    expect(spreadPct([100, 110, 90])).toBeCloseTo(10, 10);
    expect(spreadPct([80, 100, 100, 130])).toBeCloseTo(30, 10); // median 100
    expect(spreadPct([42])).toBeNull();
    expect(spreadPct([0, 0])).toBeNull();
    expect(medianOf([3, 1, 2, 10])).toBe(2.5);
  });
});

describe('judge', () => {
  it('passes within the limit when the runs agree better than the limit', () => {
    expect(judge(6, 10, 4, 0.9)).toMatchObject({ verdict: 'pass' });
    expect(judge(10, 10, 10, 0.2).verdict).toBe('pass');
  });

  it('fails only beyond the limit plus the noise', () => {
    expect(judge(15, 10, 4, 1)).toMatchObject({ verdict: 'fail' });
    expect(judge(15, 10, 4, 1).reason).toMatch(/by more than the machine's noise \(4\.0%\)/);
    expect(judge(13, 10, 4, 1)).toMatchObject({ verdict: 'inconclusive' });
    expect(judge(13, 10, 4, 1).reason).toMatch(/within the machine's noise/);
    expect(judge(null, 10, 1, 1).verdict).toBe('fail');
  });

  it('refuses to judge when the runs differ by more than the limit, unless the error is beyond both', () => {
    const r = judge(5, 10, 25, 0.3);
    expect(r.verdict).toBe('inconclusive');
    expect(r.reason).toMatch(/up to 25\.0%, more than the 10\.0% limit: too noisy/);
    expect(judge(40, 10, 25, 0.3).verdict).toBe('fail');
  });

  it('with one run, judges on the error alone unless the probe saw a busy machine', () => {
    expect(judge(8, 10, null, 0.9).verdict).toBe('pass');
    expect(judge(12, 10, null, 0.9).verdict).toBe('fail');
    expect(judge(8, 10, null, MIN_CPU_SHARE).verdict).toBe('pass');
    const busy = judge(8, 10, null, 0.3);
    expect(busy.verdict).toBe('inconclusive');
    expect(busy.reason).toMatch(/30% of a core/);
  });
});

describe('cpuShareProbe', () => {
  it('measures a share of one core between 0 and a little over 1, and the meter records each probe', () => {
    const s = cpuShareProbe(30);
    expect(s).toBeGreaterThan(0);
    expect(s).toBeLessThan(1.5);
    const m = new NoiseMeter();
    m.probe();
    m.probe();
    const r = m.result();
    expect(r.cpu_share).toHaveLength(2);
    expect(r.cores).toBeGreaterThanOrEqual(1);
  });
});
