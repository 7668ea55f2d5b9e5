import { describe, expect, it } from 'vitest';
import { Engine } from './engine.js';
import { RealtimeLoop } from './realtime.js';

/** Records (kind, virtual time) of each event it receives. */
function recorder(engine: Engine) {
  const seen: [number, number][] = [];
  const id = engine.register({ onEvent: (kind) => seen.push([kind, engine.now()]) });
  return { id, seen };
}

describe('RealtimeLoop', () => {
  it('runs events in order, each at its virtual time, and stops at until', async () => {
    const e = new Engine();
    const r = recorder(e);
    e.scheduleAt(0, r.id, 1);
    e.scheduleAt(400, r.id, 2);
    e.scheduleAt(800, r.id, 3);
    e.scheduleAt(5000, r.id, 4);
    // A fake wall clock that moves 50 ms per reading: fast and independent of the machine's speed.
    let wall = 0;
    const loop = new RealtimeLoop(e, { speed: 10, wall: () => (wall += 50), max_sleep_ms: 1 });
    await loop.run({ until: 1000, stop: () => false });
    expect(r.seen).toEqual([
      [1, 0],
      [2, 400],
      [3, 800],
    ]);
    expect(e.now()).toBe(1000);
  });

  it('takes an outside completion at the current virtual time without waiting for the next event', async () => {
    const e = new Engine();
    const r = recorder(e);
    e.scheduleAt(1e9, r.id, 9); // far away: the loop sleeps towards it
    let wall = 0;
    const loop = new RealtimeLoop(e, { speed: 1, wall: () => wall, max_sleep_ms: 1000 });
    let done = false;
    setTimeout(() => {
      wall = 250; // 250 ms of wall time have passed
      loop.catchUp();
      e.schedule(0, r.id, 5);
      done = true;
      loop.wake();
    }, 5);
    await loop.run({ stop: () => done && r.seen.length > 0 });
    expect(r.seen).toEqual([[5, 250]]);
  });

  it('refuses a speed that is not > 0', () => {
    expect(() => new RealtimeLoop(new Engine(), { speed: 0 })).toThrow(RangeError);
    expect(() => new RealtimeLoop(new Engine(), { speed: Number.NaN })).toThrow(RangeError);
  });
});
