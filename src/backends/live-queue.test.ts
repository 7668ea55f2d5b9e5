import { describe, expect, it } from 'vitest';
import type { AttemptSpec } from './backend.js';
import { LiveQueue } from './live-queue.js';

const job = (id: number) => ({ spec: { id } as AttemptSpec });

describe('LiveQueue', () => {
  it('hands attempts out oldest first across compactions, and removes one by id', () => {
    const q = new LiveQueue<ReturnType<typeof job>>();
    for (let i = 0; i < 3000; i++) q.push(job(i));
    const got: number[] = [];
    for (let i = 0; i < 2000; i++) got.push(q.shift()!.spec.id);
    expect(got[0]).toBe(0);
    expect(got[1999]).toBe(1999);
    expect(q.size).toBe(1000);
    expect(q.remove(2500)).toBe(true);
    expect(q.remove(2500)).toBe(false);
    expect(q.remove(5)).toBe(false); // taken already
    expect(q.size).toBe(999);
    const rest = q.drain().map((j) => j.spec.id);
    expect(rest).toHaveLength(999);
    expect(rest[0]).toBe(2000);
    expect(rest).not.toContain(2500);
    expect(rest[998]).toBe(2999);
    expect(q.size).toBe(0);
    expect(q.shift()).toBeUndefined();
  });

  it('resolves idle() only once nothing is in service and nothing waits', async () => {
    const q = new LiveQueue<ReturnType<typeof job>>();
    await q.idle(0);
    q.push(job(1));
    let done = false;
    const p = q.idle(0).then(() => {
      done = true;
    });
    q.settle(0); // one still waits
    await Promise.resolve();
    expect(done).toBe(false);
    q.shift();
    q.settle(1); // one in service
    await Promise.resolve();
    expect(done).toBe(false);
    q.settle(0);
    await p;
    expect(done).toBe(true);
  });
});
