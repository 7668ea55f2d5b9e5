/**
 * How arrivals are shared among router replicas (`router.replicas.split`), as a load balancer in front of
 * a gateway fleet would: `random` (a seeded draw per request, from its own stream), `round_robin` (arrival
 * k goes to replica k mod count), `session_hash` (a session always reaches the same replica: FNV-1a 32-bit
 * of its session_id, mod count; a request without a session goes round-robin). Deterministic for a seed.
 */
import type { Rng } from '../engine/rng.js';
import type { ReplicaSpec } from '../scenario/types.js';

export class ReplicaSplit {
  private next = 0;

  constructor(
    private readonly count: number,
    private readonly split: ReplicaSpec['split'],
    private readonly rng: Rng,
  ) {}

  /** The replica that routes a request arriving now with this session (if any). */
  assign(session_id: string | undefined): number {
    const n = this.count;
    if (n === 1) return 0;
    if (this.split === 'random') return Math.min(n - 1, Math.floor(this.rng.next() * n));
    if (this.split === 'session_hash' && session_id !== undefined) return fnv1a(session_id) % n;
    const r = this.next;
    this.next = r + 1 === n ? 0 : r + 1;
    return r;
  }
}

/** FNV-1a over the UTF-16 code units of `s`, as an unsigned 32-bit integer. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < s.length; k++) {
    h ^= s.charCodeAt(k);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
