/**
 * Growing the struct-of-arrays tables (event heap, request pool, backend slots): a typed array of the same
 * kind with a larger capacity and the old contents copied in. Only called when a table is full, never on
 * the per-event path.
 */
type Typed = Float64Array | Int32Array | Uint8Array;

/** A copy of `a` with capacity `cap` (>= a.length), of the same element type. */
export function grown<T extends Typed>(a: T, cap: number): T {
  const b = new (a.constructor as new (n: number) => T)(cap);
  b.set(a);
  return b;
}
