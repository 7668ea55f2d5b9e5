/**
 * Session affinity table: session id -> (model index, last activity). An entry expires after
 * `timeout_ms` without activity; an expired entry is counted once in `expired` (whether found by a lookup
 * or by the sweep) and removed; a lookup that found one is also counted in `staleHits`. A sweep runs every max(1024, entries left by the previous sweep) lookups, so it
 * costs O(1) amortized per route and the table holds at most the sessions active within one timeout
 * plus one sweep period.
 * Entry objects are pooled, so a steady population of sessions allocates nothing.
 */

interface Entry {
  model: number;
  last: number;
}

const MIN_SWEEP_PERIOD = 1024;

export class AffinityTable {
  private readonly map = new Map<string, Entry>();
  private readonly pool: Entry[] = [];
  private sinceSweep = 0;
  /** Lookups until the next sweep: max(1024, entries left by the last sweep), so sweeps are O(1) amortized. */
  private period = MIN_SWEEP_PERIOD;
  private sweepNow = 0;
  private sweepTimeout = 0;
  hits = 0;
  misses = 0;
  expired = 0;
  /** Lookups (follow-up turns) that found their session's entry expired. */
  staleHits = 0;

  private readonly sweepOne = (e: Entry, key: string): void => {
    if (this.sweepNow - e.last > this.sweepTimeout) {
      this.map.delete(key);
      this.pool.push(e);
      this.expired++;
    }
  };

  get size(): number {
    return this.map.size;
  }

  /** The pinned model of a fresh entry, else -1 (an expired entry is counted and dropped). */
  lookup(session: string, now: number, timeout: number): number {
    if (++this.sinceSweep >= this.period) this.sweep(now, timeout);
    const e = this.map.get(session);
    if (e === undefined) return -1;
    if (now - e.last > timeout) {
      this.map.delete(session);
      this.pool.push(e);
      this.expired++;
      this.staleHits++;
      return -1;
    }
    return e.model;
  }

  /** Pins (or re-pins) `session` to `model`, active now. */
  pin(session: string, model: number, now: number): void {
    const e = this.map.get(session);
    if (e !== undefined) {
      e.model = model;
      e.last = now;
      return;
    }
    const fresh = this.pool.pop() ?? { model, last: now };
    fresh.model = model;
    fresh.last = now;
    this.map.set(session, fresh);
  }

  /** Marks activity on the session if it is pinned to `model` (an outcome refreshes its entry). */
  touch(session: string, model: number, now: number): void {
    const e = this.map.get(session);
    if (e !== undefined && e.model === model && now > e.last) e.last = now;
  }

  /** Removes and counts every expired entry. */
  sweep(now: number, timeout: number): void {
    this.sinceSweep = 0;
    this.sweepNow = now;
    this.sweepTimeout = timeout;
    this.map.forEach(this.sweepOne);
    this.period = Math.max(MIN_SWEEP_PERIOD, this.map.size);
  }

  /** After a registry change: entries are re-pointed with `remap(oldIndex)`; -1 drops the entry. */
  remap(remap: (oldIndex: number) => number): void {
    for (const [key, e] of this.map) {
      const m = remap(e.model);
      if (m < 0) this.map.delete(key);
      else e.model = m;
    }
  }
}
