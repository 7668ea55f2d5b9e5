import { describe, expect, it } from 'vitest';
import { Engine } from './engine.js';
import { CLASS_CHANGE } from './heap.js';

/** A target that logs "<tag><arg>@<time>" for each event it runs. */
function logger(engine: Engine, log: string[], tag: string, onRun?: (arg: number) => void): number {
  return engine.register({
    onEvent(_kind, arg) {
      log.push(`${tag}${arg}@${engine.now()}`);
      onRun?.(arg);
    },
  });
}

describe('Engine', () => {
  it('runs events by (time, scheduling order) and stops the clock at until', () => {
    const e = new Engine();
    const log: string[] = [];
    const a = logger(e, log, 'a');
    e.schedule(10, a, 0, 1);
    e.schedule(5, a, 0, 2);
    e.schedule(10, a, 0, 3);
    expect(e.run({ until: 7 })).toBe(1);
    expect(e.now()).toBe(7);
    expect(e.run()).toBe(2);
    expect(log).toEqual(['a2@5', 'a1@10', 'a3@10']);
    expect(() => e.schedule(-1, a, 0)).toThrow(RangeError);
    expect(() => e.scheduleAt(3, a, 0)).toThrow(RangeError);
  });

  it('runs a lane event exactly where the same scheduleAt event would run, ties included', () => {
    // The same schedule twice: once with the stream's events in the heap, once in the lane.
    const run = (useLane: boolean): string[] => {
      const e = new Engine();
      const log: string[] = [];
      const times = [0, 5, 5, 10, 12, 12, 20];
      let k = 0;
      const other = logger(e, log, 'o');
      const stream = logger(e, log, 's', () => {
        // Each stream event schedules a heap event at the next stream time (a tie), then the next one.
        if (k < times.length) e.scheduleAt(times[k], other, 0, k);
        if (++k < times.length) {
          if (useLane) e.scheduleLaneAt(times[k], stream, 0, k);
          else e.scheduleAt(times[k], stream, 0, k);
        }
      });
      e.scheduleAt(5, other, 0, 100);
      if (useLane) e.scheduleLaneAt(0, stream, 0, 0);
      else e.scheduleAt(0, stream, 0, 0);
      e.scheduleAt(12, other, 0, 101);
      e.run();
      expect(e.pending).toBe(0);
      return log;
    };
    const heapOnly = run(false);
    expect(run(true)).toEqual(heapOnly);
    expect(heapOnly.length).toBe(2 + 2 * 7);
  });

  it('refuses a second lane event and one in the past; counts the lane as pending', () => {
    const e = new Engine();
    const t = e.register({ onEvent() {} });
    e.scheduleLaneAt(4, t, 0);
    expect(e.pending).toBe(1);
    expect(() => e.scheduleLaneAt(5, t, 0)).toThrow(/lane already holds/);
    expect(e.run({ until: 3 })).toBe(0);
    expect(e.pending).toBe(1);
    expect(e.step()).toBe(true);
    expect(e.now()).toBe(4);
    expect(e.step()).toBe(false);
    expect(() => e.scheduleLaneAt(1, t, 0)).toThrow(RangeError);
  });

  it('runs a CLASS_CHANGE event before lane and heap events at the same instant, scheduled later or not', () => {
    const e = new Engine();
    const log: string[] = [];
    const a = logger(e, log, 'a');
    e.scheduleLaneAt(5, a, 0, 1);
    e.scheduleAt(5, a, 0, 2);
    e.scheduleAt(5, a, 0, 3, CLASS_CHANGE);
    e.schedule(5, a, 0, 4, CLASS_CHANGE);
    e.run();
    expect(log).toEqual(['a3@5', 'a4@5', 'a1@5', 'a2@5']);
  });

  it('runs sorted-stream events exactly where scheduleAt events would run: ties, lane, out of order, growth', () => {
    // A seeded storm: each event schedules a few more, some through two streams (constant delays, with a
    // delay change midway so that some go out of order into the heap), some in the heap, one lane stream.
    const run = (useStreams: boolean): string[] => {
      const e = new Engine();
      const log: string[] = [];
      let seed = 7;
      const rand = () => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return seed / 2147483648;
      };
      const s1 = useStreams ? e.stream() : -1;
      const s2 = useStreams ? e.stream() : -1;
      let n = 0;
      let lanes = 0;
      const a = logger(e, log, 'a', () => {
        if (++n > 3000) return;
        const later = (stream: number, delay: number, arg: number) => {
          const at = e.now() + delay;
          if (stream >= 0) e.scheduleInStream(stream, at, a, 0, arg);
          else e.scheduleAt(at, a, 0, arg);
        };
        later(s1, n < 1500 ? 30 : 10, n);
        if (rand() < 0.5) later(s2, 7, -n);
        e.schedule(Math.floor(rand() * 4) * 5, a, 0, 100000 + n);
        if (rand() < 0.3) e.scheduleAt(e.now() + 5, a, 0, 200000 + n, CLASS_CHANGE);
        if (lanes < 200 && e.pending < 100000) {
          lanes++;
          try {
            e.scheduleLaneAt(e.now() + 5, a, 0, 300000 + lanes);
          } catch {
            // the lane is busy: fine
          }
        }
      });
      e.schedule(0, a, 0, 0);
      expect(e.run({ until: 200 })).toBeGreaterThan(0);
      expect(e.peekTime()).toBeGreaterThan(200);
      const held = e.pending;
      e.run();
      expect(e.pending).toBe(0);
      log.push(`held ${held}`);
      return log;
    };
    const heapOnly = run(false);
    expect(heapOnly.length).toBeGreaterThan(5000);
    expect(run(true)).toEqual(heapOnly);
  });

  it('refuses a sorted-stream event in the past', () => {
    const e = new Engine();
    const t = e.register({ onEvent() {} });
    const s = e.stream();
    e.scheduleInStream(s, 10, t, 0);
    expect(e.pending).toBe(1);
    e.run();
    expect(e.now()).toBe(10);
    expect(() => e.scheduleInStream(s, 9, t, 0)).toThrow(RangeError);
  });

  it('shares one delay stream per delay, and runs its events where schedule() would', () => {
    const e = new Engine();
    const h = e.delayStream(15);
    expect(e.delayStream(15)).toBe(h);
    expect(e.delayStream(5)).not.toBe(h);
    const log: string[] = [];
    const a = logger(e, log, 'a');
    const b = logger(e, log, 'b');
    // Two targets through the shared 15 ms stream, interleaved with heap events at the same instants.
    e.scheduleInStream(h, 15, a, 0, 1);
    e.schedule(15, b, 0, 2);
    e.scheduleInStream(h, 15, b, 0, 3);
    e.schedule(20, a, 0, 4);
    e.run();
    expect(log).toEqual(['a1@15', 'b2@15', 'b3@15', 'a4@20']);
  });
});
