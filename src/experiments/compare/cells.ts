/**
 * The unit of work of compare (and of a future sweep): a cell is one variant × one replication, i.e. a
 * set of config overrides plus a seed. Common random numbers: replication r uses the same seed for every
 * variant, so all variants see the same traffic and the same backend draws; replications differ by seed.
 * A sweep is the same thing with variants taken from a grid; sharding is a slice of the cell list.
 */

/** A named set of dotted-path overrides (`router.strategy: cache_aware`). */
export interface Variant {
  name: string;
  overrides: Record<string, unknown>;
}

export interface Cell {
  /** Position in the cell list (variant-major): stable ids for shards and merges. */
  index: number;
  variant: string;
  /** Index of the variant in the variant list (0 = the reference of paired differences). */
  variant_index: number;
  replication: number;
  seed: number;
  overrides: Record<string, unknown>;
}

/**
 * The seed of replication r: the scenario's own seed for r = 0 (so replication 0 equals `routesim run`),
 * then a 32-bit mix of (seed, r), distinct per r and independent of the variant.
 */
function replicationSeed(baseSeed: number, r: number): number {
  if (r === 0) return baseSeed;
  // splitmix32-style finaliser of seed and replication index.
  let h = (Math.imul(baseSeed | 0, 0x9e3779b1) ^ Math.imul(r, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** The seeds of replications 0..n-1 (throws if two collide, which would silently shrink n). */
export function replicationSeeds(baseSeed: number, n: number): number[] {
  if (!Number.isInteger(n) || n < 1)
    throw new RangeError(`replications must be a positive integer, got ${n}`);
  const seeds = Array.from({ length: n }, (_, r) => replicationSeed(baseSeed, r));
  if (new Set(seeds).size !== n) throw new Error(`replicationSeeds: seed collision for base ${baseSeed}`);
  return seeds;
}

/** Variants from `--strategies a,b,c`: one per strategy, overriding `router.strategy`. */
export function strategyVariants(strategies: readonly string[]): Variant[] {
  return strategies.map((s) => ({ name: s, overrides: { 'router.strategy': s } }));
}

/** Every cell, variant-major: cells[v * n + r]. Throws on duplicate variant names or no variants. */
export function compareCells(variants: readonly Variant[], seeds: readonly number[]): Cell[] {
  if (variants.length === 0) throw new RangeError('compare needs at least one variant');
  const names = new Set<string>();
  for (const v of variants) {
    if (names.has(v.name)) throw new RangeError(`variant "${v.name}" is listed twice`);
    names.add(v.name);
  }
  const cells: Cell[] = [];
  variants.forEach((v, vi) => {
    seeds.forEach((seed, r) => {
      cells.push({
        index: cells.length,
        variant: v.name,
        variant_index: vi,
        replication: r,
        seed,
        overrides: v.overrides,
      });
    });
  });
  return cells;
}

/** Shard k of n (1-based k) of a cell list: every n-th cell, so shards get similar mixes of variants. */
export function shardCells(cells: readonly Cell[], k: number, n: number): Cell[] {
  if (!(n >= 1 && k >= 1 && k <= n)) throw new RangeError(`shard ${k}/${n}: need 1 <= k <= n`);
  return cells.filter((c) => c.index % n === k - 1);
}
