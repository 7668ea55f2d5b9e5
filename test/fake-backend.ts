/**
 * A backend for unit tests of what drives attempts (run/attempts.ts, gateway/fleet.ts): it answers each
 * submit with `answer`, holds what it accepted until the test ends it (`complete`) or it is cancelled, and
 * keeps a log of every call, so a test can assert the exact sequence of submits and cancels.
 */
import type { AttemptOutcome, AttemptSpec, BackendHost, SubmitResult } from '../src/backends/backend.js';
import type { OutcomeKind } from '../src/router/types.js';
import type { LiveBackend } from '../src/run/live-cluster.js';

export class FakeBackend implements LiveBackend {
  readonly faults = null;
  state = 'ready';
  /** What the next submit answers. */
  answer: SubmitResult = 'accepted';
  /** Every call, in order: `submit <id>`, `cancel <id>` (with `held` or `gone`). */
  readonly log: string[] = [];
  /** The specs submitted (copies: the caller reuses its object). */
  readonly submits: AttemptSpec[] = [];
  private readonly held = new Set<number>();

  /** `host`: where complete() reports (none: the test never completes an attempt). */
  constructor(
    readonly modelId: string,
    private readonly host: BackendHost | null = null,
  ) {}

  submit(a: AttemptSpec): SubmitResult {
    this.log.push(`submit ${a.id}`);
    this.submits.push({ ...a });
    if (this.answer === 'accepted') this.held.add(a.id);
    return this.answer;
  }

  cancel(id: number): boolean {
    const had = this.held.delete(id);
    this.log.push(`cancel ${id} ${had ? 'held' : 'gone'}`);
    return had;
  }

  /** End held attempt `id` as `kind`, `e2e_ms` after it was sent, through the host. */
  complete(id: number, kind: OutcomeKind, e2e_ms = 10, extra: Partial<AttemptOutcome> = {}): void {
    if (!this.held.delete(id)) throw new Error(`FakeBackend ${this.modelId}: attempt ${id} is not held`);
    const ok = kind === 'ok';
    this.host!.complete({
      id,
      kind,
      queue_ms: 0,
      ttft_ms: ok ? e2e_ms / 2 : Number.NaN,
      e2e_ms,
      output_tokens: ok ? 4 : 0,
      cached_tokens: 0,
      ...extra,
    });
  }

  inService(): number {
    return this.held.size;
  }

  queued(): number {
    return 0;
  }

  async close(): Promise<void> {}
}
