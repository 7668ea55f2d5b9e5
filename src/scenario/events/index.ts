/**
 * The timeline's event kinds, in the order their keys appear in an `events:` entry (and in
 * `routesim schema`). Adding a kind is one file in this folder and one line in EVENT_KINDS; the entry
 * schema, the checks' key lists, the loaded ScenarioEvent type, applying an event in a run and its label
 * all come from this list.
 */
import { z } from 'zod';
import type { ModelSpec } from '../../core/types.js';
import { duration } from '../values.js';
import { abSplitEvent } from './ab-split.js';
import { crashEvent } from './crash.js';
import { flapEvent } from './flap.js';
import { hangEvent } from './hang.js';
import type { EventKind, EventWorld, Fault } from './kind.js';
import { metricsStaleEvent } from './metrics-stale.js';
import { capacityEvent, failureRateEvent, healthEvent, latencyFactorEvent } from './model-changes.js';
import { partitionEvent } from './partition.js';
import { presenceEvent } from './presence.js';
import { quotaEvent } from './quota.js';
import { routerEvent } from './router.js';

const EVENT_KINDS = [
  healthEvent,
  latencyFactorEvent,
  failureRateEvent,
  capacityEvent,
  quotaEvent,
  crashEvent,
  hangEvent,
  flapEvent,
  metricsStaleEvent,
  routerEvent,
  presenceEvent,
  abSplitEvent,
  partitionEvent,
] as const;

type Kinds = (typeof EVENT_KINDS)[number];
// biome-ignore lint/suspicious/noExplicitAny: the standard union-to-intersection helper
type Intersect<U> = (U extends any ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

/** A loaded timeline event: exactly one change (the loader splits an entry with several). */
export type ScenarioEvent = Kinds extends infer R
  ? R extends EventKind<z.ZodRawShape, infer E>
    ? E
    : never
  : never;

const KIND_BY_NAME = new Map<string, EventKind>(EVENT_KINDS.map((k) => [k.kind, k as unknown as EventKind]));

function kindOf(ev: ScenarioEvent): EventKind {
  const k = KIND_BY_NAME.get(ev.kind);
  if (!k) throw new Error(`unknown timeline event kind ${ev.kind}`);
  return k;
}

/** One `events:` entry as written: a time, the model it changes (if any), its changes and a note. */
export const eventSchema = z
  .strictObject({
    at: duration('When it happens, from the start of the run.'),
    model: z.string().optional().describe('The model changed (for model changes).'),
    ...(Object.assign({}, ...EVENT_KINDS.map((k) => k.keys)) as Intersect<Kinds['keys']>),
    note: z.string().optional().describe('A label for charts.'),
  })
  .describe(
    'A change at a time: a model change (model + health, latency_factor, ...), router: {...}, or ab_split.',
  );

export type RawEvent = z.output<typeof eventSchema>;

/** The entry keys that change a model (the entry must name it), and those that change the router. */
export const MODEL_CHANGE_KEYS = EVENT_KINDS.filter((k) => k.changesModel).flatMap((k) =>
  Object.keys(k.keys),
);
export const ROUTER_CHANGE_KEYS = EVENT_KINDS.filter((k) => !k.changesModel).flatMap((k) =>
  Object.keys(k.keys),
);

/**
 * The entries as loaded events, one change each, in time order (ties: file order, then within an entry
 * by the kinds' rank). `split` is the A/B split at the start (ramps start from the split in force).
 */
export function loadEvents(
  raw: readonly RawEvent[],
  split: number,
  models: readonly ModelSpec[],
): ScenarioEvent[] {
  const order = raw.map((e, i) => ({ e, i })).sort((a, b) => a.e.at - b.e.at || a.i - b.i);
  const out: ScenarioEvent[] = [];
  for (const { e } of order) {
    const ctx = { at_ms: e.at, model: e.model ?? '', models, split };
    const batch: { ev: ScenarioEvent; rank: number }[] = [];
    for (const kind of EVENT_KINDS as readonly EventKind[]) {
      const r = kind.load(e as never, ctx);
      for (const ev of r.events) batch.push({ ev: ev as ScenarioEvent, rank: kind.rank?.(ev) ?? 0 });
      if (r.split !== undefined) split = r.split;
    }
    // Stable: equal ranks keep EVENT_KINDS order.
    for (const b of batch.sort((x, y) => x.rank - y.rank)) out.push(b.ev);
  }
  return out.sort((a, b) => a.at_ms - b.at_ms);
}

/** Apply one loaded event to a running world (run/timeline.ts). */
export function applyEvent(ev: ScenarioEvent, world: EventWorld): void {
  kindOf(ev).apply(ev, world);
}

/** A short label for a loaded event, for chart marks and the report's timeline. */
export function eventLabel(ev: ScenarioEvent): string {
  return kindOf(ev).label(ev);
}

/** The fault an event starts (scored as a drill), or null. */
export function faultOf(ev: ScenarioEvent): Fault | null {
  return kindOf(ev).fault?.(ev) ?? null;
}

/** Whether any event starts a fault: the run then records what drill scores need. */
export function hasFaults(events: readonly ScenarioEvent[]): boolean {
  return events.some((ev) => faultOf(ev) !== null);
}

/**
 * How many faults the `events:` entries of a file start (the report's drills), read from the plain data
 * before loading, for checking `expect:` paths like `drills.2.recovered_after_s`. An entry value of the wrong type
 * counts nothing (the schema reports it).
 */
export function countFaults(raw: unknown): number {
  if (!Array.isArray(raw)) return 0;
  let n = 0;
  for (const e of raw) {
    if (typeof e !== 'object' || e === null || Array.isArray(e)) continue;
    const entry = e as Record<string, unknown>;
    const model = typeof entry.model === 'string' ? entry.model : '';
    for (const kind of EVENT_KINDS as readonly EventKind[]) {
      if (kind.fault === undefined) continue;
      const keys = z.object(kind.keys).safeParse(entry);
      if (!keys.success) continue;
      const r = kind.load(keys.data as never, { at_ms: 0, model, models: [], split: 0 });
      for (const ev of r.events) if (kind.fault(ev) !== null) n++;
    }
  }
  return n;
}
