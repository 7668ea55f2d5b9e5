/**
 * The contract of one timeline event kind. A kind is one record (one file in this folder, one line in
 * index.ts): the `events:` keys it reads with their schemas, how an entry becomes loaded events, how a
 * loaded event changes a running world, and its chart label. Everything else about events (the schema of
 * an entry, the checks, the loaded type, the run's timeline, the report's labels) is derived from the list.
 */
import type { z } from 'zod';
import type { Health, ModelSpec } from '../../core/types.js';
import type { RoutingConfig } from '../../router/config.js';

/** Every loaded event has a time (ms from the start) and a kind; each kind adds its own fields. */
export interface EventBase {
  at_ms: number;
  kind: string;
}

/**
 * A fault an event starts on its model, scored as a drill (report.json `drills`), by its name there. A
 * fault that loads as several events (a crash and its restart, a flap's periods) names it on its first.
 */
export interface Fault {
  name: string;
  model: string;
}

/** What an event may change while a scenario runs; run/timeline.ts implements it over the run's parts. */
export interface EventWorld {
  /** Current virtual time, ms. */
  now(): number;
  /** The model's index; throws on an id the loader should have refused. */
  indexOf(id: string): number;
  /** The true state of the models (the backends), by index. */
  readonly models: {
    setHealth(i: number, h: Health): void;
    setLatencyFactor(i: number, factor: number): void;
    setFailureRate(i: number, rate: number): void;
    setCapacity(i: number, maxConcurrency: number): void;
    setQuota(i: number, tokensPerMinute: number, requestsPerMinute: number): void;
  };
  /** Records a change of true health, so that detection delays can be measured. */
  readonly health: { trueChange(i: number, h: Health, now: number): void };
  readonly router: {
    getConfig(): Readonly<RoutingConfig>;
    setConfig(changes: Partial<RoutingConfig>): void;
  };
  /** The router's pool: a model joins (true) or leaves (false) it. */
  readonly presence: { set(i: number, present: boolean, now: number): void };
  /** Router replicas: those listed cannot reach model i while `cut` (a partition), or can again. */
  readonly replicas: { partition(i: number, replicas: readonly number[], cut: boolean): void };
  /**
   * Faults of model i (run/faults.ts). `kind` and `since` name the fault (its event kind and start time):
   * the run records one fault per (kind, model, since), from its start to its end.
   */
  readonly faults: {
    crash(i: number, kind: string, since: number): void;
    restart(i: number, kind: string, since: number, warmup_ms: number, slowdown: number): void;
    hang(i: number, on: boolean, since: number): void;
    staleMetrics(i: number, on: boolean, since: number): void;
  };
}

/** What a kind may read while loading one `events:` entry. */
interface EntryContext {
  at_ms: number;
  /** The entry's `model` ('' when it names none). */
  model: string;
  models: readonly ModelSpec[];
  /** The A/B split in force before this entry (events are loaded in time order). */
  split: number;
}

/** One event kind; K is the shape of the `events:` keys it reads, E its loaded event. */
export interface EventKind<K extends z.ZodRawShape = z.ZodRawShape, E extends EventBase = EventBase> {
  /** The `kind` of the events it loads (as in report.json's config.events). */
  readonly kind: E['kind'];
  /** The `events:` keys this kind reads, each optional in an entry, with description and range. */
  readonly keys: K;
  /** Whether these keys change a model (the entry must then name a `model`). */
  readonly changesModel: boolean;
  /** The loaded events of one entry (none when the entry has none of `keys`), and the split after it. */
  load(entry: { [P in keyof K]?: z.output<K[P]> }, ctx: EntryContext): { events: E[]; split?: number };
  /**
   * Where, among the events of one entry, this kind's event goes: lower first, ties in list order
   * (a model that is removed leaves before its other changes apply; one that is added joins after them).
   */
  rank?(ev: E): number;
  /** Apply one loaded event to the running world. */
  apply(ev: E, world: EventWorld): void;
  /** A short label for chart marks and the report's timeline. */
  label(ev: E): string;
  /** The fault this event starts (a drill is scored for it), or null; absent: never a fault. */
  fault?(ev: E): Fault | null;
}

/** Declares a kind with its types checked against each other (the record is returned as is). */
export function defineEventKind<K extends z.ZodRawShape, E extends EventBase>(kind: EventKind<K, E>) {
  return kind;
}

/** A number for a label: at most 6 significant digits (0.09999999999999998 -> 0.1). */
export function labelNumber(v: number): string {
  return String(Number(v.toPrecision(6)));
}
