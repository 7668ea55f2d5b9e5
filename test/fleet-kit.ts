/**
 * A gateway Fleet without HTTP or the wall clock, for tests of its orchestration: its models are fake
 * backends (test/fake-backend.ts) that end attempts when the test says, its requests LogExchanges that log
 * what the fleet tells them, and the test moves the fleet's engine itself (without fleet.start() no
 * real-time loop runs).
 */
import type { AttemptOutcome } from '../src/backends/backend.js';
import { type Exchange, Fleet } from '../src/gateway/fleet.js';
import type { OutcomeKind, RouteRequest } from '../src/router/types.js';
import { loadScenario } from '../src/scenario/load.js';
import { FakeBackend } from './fake-backend.js';

/** The fleet of scenario `yaml` (loaded as the gateway does), each model served by a FakeBackend. */
export function fakeFleet(yaml: string): { fleet: Fleet; fakes: FakeBackend[] } {
  const r = loadScenario(yaml, 'fleet.yaml', { serving: true });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  const fleet = new Fleet(r.scenario, null);
  const fakes = r.scenario.models.map((m, i) => {
    const f = new FakeBackend(m.id, fleet.hostFor(i));
    fleet.setLive(i, f);
    return f;
  });
  return { fleet, fakes };
}

/** An Exchange that logs the fleet's calls: `routed <i>`, `finish <kind> <i> <outcome|null> [reason]`. */
export class LogExchange implements Exchange {
  id = 0;
  arrival_ms = 0;
  model = -1;
  attempt_ms = 0;
  deadline_ms = 0;
  committed = false;
  readonly prompt_tokens = 6;
  readonly output_tokens = 4;
  readonly req: RouteRequest = { estimated_tokens: 10, attempts: 0, tried: [] };
  readonly log: string[] = [];
  /** The kind it finished as (null: not yet), and the backend outcome it finished with. */
  kind: OutcomeKind | null = null;
  outcome: AttemptOutcome | null = null;
  routed(i: number): void {
    this.log.push(`routed ${i}`);
  }
  progress(): void {}
  upstream() {
    return { body: {}, api: 'chat' as const };
  }
  relay(): void {}
  finish(kind: OutcomeKind, i: number, o: AttemptOutcome | null, reason: string, retryAfterMs: number): void {
    this.kind = kind;
    this.outcome = o === null ? null : { ...o };
    const ra = retryAfterMs > 0 ? `retry-after ${retryAfterMs}` : '';
    this.log.push(
      ['finish', kind, i, o === null ? 'null' : o.kind, reason, ra].filter((w) => w !== '').join(' '),
    );
  }
}
