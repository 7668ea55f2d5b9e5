/**
 * Limiter: at most `max` holders at once, the rest waiting in FIFO order. The client takes one slot per
 * upstream request so the connections it opens to one server stay bounded (Node's global fetch has no
 * connection limit of its own).
 */
export class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1)
      throw new RangeError(`Limiter: max must be an integer >= 1, got ${max}`);
  }

  /** Holders now. */
  get inUse(): number {
    return this.active;
  }

  /** Waiting for a slot now. */
  get pending(): number {
    return this.waiting.length;
  }

  /** Resolves with a release function once a slot is free; releasing twice is a no-op. */
  async acquire(): Promise<() => void> {
    if (this.active < this.max) this.active++;
    else await new Promise<void>((r) => this.waiting.push(r));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    };
  }
}
