/**
 * The fleet's orchestration of one request, without HTTP or the wall clock (test/fleet-kit.ts): fake
 * backends end attempts when the test says, exchanges log what the fleet tells them.
 */
import { describe, expect, it } from 'vitest';
import { fakeFleet, LogExchange } from '../../test/fleet-kit.js';

const ROUTER = 'strategy: round_robin, max_retries: 1, retry_delay: 5ms, request_timeout: 100ms';

function fleetOf(router: string, models = ['a', 'b'], extra = '', events = '') {
  const list = models.map((m) => `  - { id: ${m}, max_concurrency: 4${extra} }`).join('\n');
  return fakeFleet(`name: fleet\nrouter: { ${router} }\nmodels:\n${list}\n${events}`);
}

describe('Fleet: one request', () => {
  it('ok: routed, submitted once, finished with the backend outcome', () => {
    const { fleet, fakes } = fleetOf(ROUTER);
    const x = new LogExchange();
    fleet.serve(x);
    expect(fleet.inFlight).toBe(1);
    expect(fakes[0].submits).toEqual([
      { id: x.id, prompt_tokens: 6, output_tokens: 4, session_id: undefined },
    ]);
    fakes[0].complete(x.id, 'ok', 30);
    expect(x.log).toEqual(['routed 0', 'finish ok 0 ok']);
    expect(x.outcome?.e2e_ms).toBe(30);
    expect(fleet.inFlight).toBe(0);
    expect(fleet.router.stats().retries).toBe(0);
  });

  it('error, then a retry after the delay on the other model, ok', () => {
    const { fleet, fakes } = fleetOf(ROUTER);
    const x = new LogExchange();
    fleet.serve(x);
    fakes[0].complete(x.id, 'error');
    expect(x.log).toEqual(['routed 0']);
    fleet.engine.run({ until: 4 });
    expect(fakes[1].log).toEqual([]);
    fleet.engine.run({ until: 5 });
    expect(fakes[1].log).toEqual([`submit ${x.id}`]);
    fakes[1].complete(x.id, 'ok');
    expect(x.log).toEqual(['routed 0', 'routed 1', 'finish ok 1 ok']);
    expect(fleet.router.stats().retries).toBe(1);
  });

  it('timeout: cancelled at request_timeout; no retry left, it finishes as timed out after 100 ms', () => {
    const { fleet, fakes } = fleetOf(ROUTER.replace('max_retries: 1', 'max_retries: 0'));
    const x = new LogExchange();
    fleet.serve(x);
    expect(x.deadline_ms).toBe(100);
    fleet.engine.run({ until: 99 });
    expect(x.log).toEqual(['routed 0']);
    fleet.engine.run({ until: 100 });
    expect(fakes[0].log).toEqual([`submit ${x.id}`, `cancel ${x.id} held`]);
    expect(x.log).toEqual(['routed 0', 'finish timeout 0 timeout']);
    expect(x.outcome?.e2e_ms).toBe(100);
  });

  it('an attempt that ends before its deadline is not timed out (nor cancelled) later', () => {
    const { fleet, fakes } = fleetOf(ROUTER);
    const x = new LogExchange();
    fleet.serve(x);
    fleet.engine.run({ until: 50 });
    fakes[0].complete(x.id, 'ok');
    fleet.engine.run({ until: 1000 });
    expect(fakes[0].log).toEqual([`submit ${x.id}`]);
    expect(x.log).toEqual(['routed 0', 'finish ok 0 ok']);
  });

  it('refused at submit: queue full is retried elsewhere; with no retry left it finishes as rejected', () => {
    const { fleet, fakes } = fleetOf(ROUTER);
    fakes[0].answer = 'queue_full';
    const x = new LogExchange();
    fleet.serve(x);
    fleet.engine.run({ until: 5 });
    fakes[1].answer = 'queue_full';
    const y = new LogExchange();
    fleet.serve(y);
    fleet.engine.run({ until: 10 });
    expect(y.log).toEqual(['routed 0', 'routed 1', 'finish rejected 1 null']);
    expect(fakes[0].log).toEqual([`submit ${x.id}`, `submit ${y.id}`]);
    fakes[1].complete(x.id, 'ok');
    expect(x.log).toEqual(['routed 0', 'routed 1', 'finish ok 1 ok']);
  });

  it('rate limited with no retry left: a 429 with a Retry-After', () => {
    const { fleet, fakes } = fleetOf(ROUTER.replace('max_retries: 1', 'max_retries: 0'), ['a']);
    fakes[0].answer = 'rate_limited';
    const x = new LogExchange();
    fleet.serve(x);
    expect(x.log).toEqual(['routed 0', 'finish rate_limited 0 null retry-after 1000']);
  });

  it('rejected by the router: never routed, finished with the reason', () => {
    const { fleet, fakes } = fleetOf(ROUTER, ['a'], ', health: unhealthy');
    const x = new LogExchange();
    fleet.serve(x);
    expect(fakes[0].log).toEqual([]);
    expect(x.log).toHaveLength(1);
    expect(x.log[0]).toMatch(/^finish rejected -1 null \S/);
    expect(fleet.inFlight).toBe(0);
  });

  it('client gone: its attempt is cancelled, it ends as an error, the router is not told', () => {
    const { fleet, fakes } = fleetOf(ROUTER);
    const x = new LogExchange();
    fleet.serve(x);
    fleet.clientGone(x);
    expect(fakes[0].log).toEqual([`submit ${x.id}`, `cancel ${x.id} held`]);
    expect(x.log).toEqual(['routed 0', 'finish error 0 null the client went away']);
    const st = fleet.router.stats();
    expect([st.retries, fleet.inFlight]).toEqual([0, 0]);
    // Its timeout finds nothing to do.
    fleet.engine.run({ until: 1000 });
    expect(fakes[0].log).toHaveLength(2);
  });

  it('a failure after bytes went out is final: no retry', () => {
    const { fleet, fakes } = fleetOf(ROUTER);
    const x = new LogExchange();
    fleet.serve(x);
    x.committed = true;
    fakes[0].complete(x.id, 'error');
    expect(x.log).toEqual(['routed 0', 'finish error 0 error']);
    expect(fleet.router.stats().retries).toBe(0);
  });

  it('a partition (the gateway is replica 0) cuts it off a model: a connection failure the model never sees', async () => {
    const cut = 'events:\n  - { at: 0s, model: a, partition: { replicas: [0] } }\n';
    const { fleet, fakes } = fleetOf(ROUTER.replace('max_retries: 1', 'max_retries: 0'), ['a', 'b'], '', cut);
    fleet.start(); // applies the event at 0 before it returns
    try {
      const x = new LogExchange();
      fleet.serve(x);
      expect(x.log).toEqual(['routed 0', 'finish error 0 null']);
      expect(fakes[0].log).toEqual([]);
    } finally {
      await fleet.stop();
    }
  });
});
