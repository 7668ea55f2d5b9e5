/**
 * Traffic as the simulator consumes it: a synchronous, pull-based stream of arrivals in non-decreasing
 * time. Sources read lazily (traces in chunks), so memory does not grow with the number of requests.
 */

export interface ArrivalRecord {
  /** Arrival time in ms from the start of the run. */
  t_ms: number;
  prompt_tokens: number;
  output_tokens: number;
  session_id?: string;
  preferred_model?: string;
  capabilities?: readonly string[];
  tags?: readonly string[];
  /** Prefix block ids; equal ids mean equal content (Mooncake: 512-token blocks). */
  prefix_blocks?: readonly number[];
  /** Tokens per prefix block (default 512 for traces that carry hash_ids). */
  block_tokens?: number;
  priority?: number;
  /** Which stream this came from when several traces are merged. */
  tenant?: string;
  /** The inference-perf load stage it was sent in (0-based); absent for other traffic. */
  stage?: number;
}

export interface RequestSource {
  /** The next arrival, or null when the source is exhausted. May reuse the returned object. */
  next(): ArrivalRecord | null;
  /** Rows skipped as bad (on_bad_row: skip); 0 for synthetic sources. */
  readonly skipped?: number;
  close?(): void;
}
