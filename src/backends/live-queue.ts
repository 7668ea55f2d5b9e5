/**
 * The waiting line of a backend that serves in real time (gguf, openai): attempts in arrival order, taken
 * from the head, removable by id (a cancel), and the callers waiting for the backend to go idle. One
 * source for what both live backends did each by hand.
 */
import type { AttemptSpec } from './backend.js';

/** Compact the array once this many taken entries lead it and they are over half of it. */
const COMPACT_AFTER = 1024;

export class LiveQueue<J extends { spec: AttemptSpec }> {
  private items: J[] = [];
  private head = 0;
  private idleWaiters: (() => void)[] = [];

  /** Attempts waiting. */
  get size(): number {
    return this.items.length - this.head;
  }

  push(job: J): void {
    this.items.push(job);
  }

  /** The oldest waiting attempt, taken off the line; undefined when none waits. */
  shift(): J | undefined {
    if (this.head >= this.items.length) return undefined;
    const job = this.items[this.head++];
    if (this.head > COMPACT_AFTER && this.head * 2 > this.items.length) {
      this.items.splice(0, this.head);
      this.head = 0;
    }
    return job;
  }

  /** Takes the waiting attempt `id` off the line; false when it is not waiting. */
  remove(id: number): boolean {
    for (let k = this.head; k < this.items.length; k++) {
      if (this.items[k].spec.id !== id) continue;
      this.items.splice(k, 1);
      return true;
    }
    return false;
  }

  /** Every waiting attempt, oldest first; the line is empty after. */
  drain(): J[] {
    const all = this.items.slice(this.head);
    this.items = [];
    this.head = 0;
    return all;
  }

  /** Resolves when nothing is in service (`inService` 0) and nothing waits: at once, or at the first settle() that finds it so. */
  idle(inService: number): Promise<void> {
    if (inService === 0 && this.size === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  /** Wakes the idle() callers when nothing is in service and nothing waits (call after every change). */
  settle(inService: number): void {
    if (inService !== 0 || this.size !== 0 || this.idleWaiters.length === 0) return;
    const ws = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of ws) w();
  }
}
