/**
 * The gateway's cost on loopback, with zero-latency sim models (ttft 0, tpot 0) so that what is measured
 * is HTTP, routing and streaming, not the model:
 * - per request, streamed and not: a bare hono server answering the same bytes with no router ("bare"),
 *   the gateway serving a sim model ("gateway"), and a gateway whose models are `backend: openai` in front
 *   of that gateway ("proxy"). Added median latency of serving = gateway p50 - bare p50 (routing, the
 *   fleet, the response writer); of proxying = proxy p50 - gateway p50 (routing, the upstream call over
 *   loopback, passing the stream through: the issue's "gateway overhead per request").
 * - streamed requests per second: CONCURRENCY clients streaming STREAM_REQUESTS requests through the
 *   gateway, client (node:http, keep-alive) and server in this one process (a lower bound for the server).
 * Target (issue 14): under 1 ms added median, at least 2,000 streamed requests/s on 2 cores.
 * Writes reports/bench/gateway.json.
 */
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { bench, group } from 'mitata';
import { type Gateway, startGateway } from '../src/gateway/server.js';
import { loadScenario } from '../src/scenario/load.js';
import { loadLine, writeResults } from './results.js';

export const NAME = 'gateway';

const SCENARIO = `name: bench
router: { strategy: least_loaded }
models:
  - { id: m1, max_concurrency: 1000, max_queue: 10000, latency: { ttft: 0ms, tpot: 0ms } }
  - { id: m2, max_concurrency: 1000, max_queue: 10000, latency: { ttft: 0ms, tpot: 0ms } }
`;
const MAX_TOKENS = 8;
const CONCURRENCY = 32;
const STREAM_REQUESTS = 4000;
/** Throughput rounds (bare and gateway interleaved); the median is reported. */
const ROUNDS = 3;
const BODY = JSON.stringify({
  model: 'auto',
  messages: [{ role: 'user', content: 'hello, how are you today?' }],
  max_tokens: MAX_TOKENS,
});
const STREAM_BODY = JSON.stringify({ ...JSON.parse(BODY), stream: true });

interface Servers {
  bare: string;
  gateway: Gateway;
  proxy: Gateway;
}

let servers: Promise<Servers> | null = null;

/** A server with no router that answers what the gateway answers (the same bytes, at once). */
async function bareServer(gwUrl: string): Promise<string> {
  const sample = await (await fetch(`${gwUrl}/v1/chat/completions`, post(BODY))).text();
  const sampleStream = await (await fetch(`${gwUrl}/v1/chat/completions`, post(STREAM_BODY))).text();
  const app = new Hono();
  app.post('/v1/chat/completions', async (c) => {
    const b = (await c.req.json()) as { stream?: boolean };
    return b.stream
      ? new Response(sampleStream, { headers: { 'content-type': 'text/event-stream' } })
      : new Response(sample, { headers: { 'content-type': 'application/json' } });
  });
  return new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
      resolve(`http://127.0.0.1:${(s.address() as AddressInfo).port}`),
    );
    s.unref();
  });
}

function start(): Promise<Servers> {
  servers ??= (async () => {
    const r = loadScenario(SCENARIO, 'bench.yaml', { serving: true });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    const gateway = await startGateway(r.scenario, { port: 0 });
    const bare = await bareServer(gateway.url);
    const front = `name: bench-proxy
router: { strategy: least_loaded }
models:
  - { id: p1, max_concurrency: 1000, backend: openai, url: "${gateway.url}/v1", api_model: auto }
  - { id: p2, max_concurrency: 1000, backend: openai, url: "${gateway.url}/v1", api_model: auto }
`;
    const f = loadScenario(front, 'bench-proxy.yaml', { serving: true });
    if (!f.ok) throw new Error(JSON.stringify(f.issues));
    const proxy = await startGateway(f.scenario, { port: 0 });
    return { bare, gateway, proxy };
  })();
  return servers;
}

function post(body: string): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/json' }, body };
}

/** node:http with keep-alive, not fetch: undici's per-request cost would dwarf the server's. */
const agent = new Agent({ keepAlive: true, maxSockets: 2 * CONCURRENCY });

function once(base: string, body: string): Promise<void> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const q = request(
      {
        host: u.hostname,
        port: u.port,
        path: '/v1/chat/completions',
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (r) => {
        r.on('data', () => undefined);
        r.on('end', () => (r.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${r.statusCode}`))));
      },
    );
    q.on('error', reject);
    q.end(body);
  });
}

export function register(): void {
  group('gateway: one request on loopback (sim model, zero latency)', () => {
    bench('bare hono, json', async () => once((await start()).bare, BODY));
    bench('gateway, json', async () => once((await start()).gateway.url, BODY));
    bench('bare hono, stream', async () => once((await start()).bare, STREAM_BODY));
    bench('gateway, stream', async () => once((await start()).gateway.url, STREAM_BODY));
    bench('proxy, json', async () => once((await start()).proxy.url, BODY));
    bench('proxy, stream', async () => once((await start()).proxy.url, STREAM_BODY));
  });
}

/** Streamed requests per second through `base` with CONCURRENCY clients. */
async function throughput(base: string): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  const client = async () => {
    while (next < STREAM_REQUESTS) {
      next++;
      await once(base, STREAM_BODY);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, client));
  return STREAM_REQUESTS / ((performance.now() - t0) / 1000);
}

interface Trial {
  runs: { name: string; stats?: { p50: number } }[];
}

export async function report(results: { benchmarks: Trial[] }): Promise<void> {
  const p50 = new Map<string, number>();
  for (const t of results.benchmarks) for (const r of t.runs) if (r.stats) p50.set(r.name, r.stats.p50 / 1e6);
  const s = await start();
  // Interleaved rounds: on a shared machine one round can land in a busy second.
  const bareRounds: number[] = [];
  const gatewayRounds: number[] = [];
  const proxyRounds: number[] = [];
  for (let k = 0; k < ROUNDS; k++) {
    bareRounds.push(await throughput(s.bare));
    gatewayRounds.push(await throughput(s.gateway.url));
    proxyRounds.push(await throughput(s.proxy.url));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const bareRps = median(bareRounds);
  const gatewayRps = median(gatewayRounds);
  const proxyRps = median(proxyRounds);
  const at = (name: string) => p50.get(name) ?? Number.NaN;
  const added = (kind: string) => at(`gateway, ${kind}`) - at(`bare hono, ${kind}`);
  const proxying = (kind: string) => at(`proxy, ${kind}`) - at(`gateway, ${kind}`);
  const rows = {
    median_ms: Object.fromEntries(p50),
    added_median_ms: { json: added('json'), stream: added('stream') },
    proxy_added_median_ms: { json: proxying('json'), stream: proxying('stream') },
    streamed_requests_per_s: { bare: bareRps, gateway: gatewayRps, proxy: proxyRps },
    streamed_rounds: { bare: bareRounds, gateway: gatewayRounds, proxy: proxyRounds },
    concurrency: CONCURRENCY,
    requests: STREAM_REQUESTS,
    max_tokens: MAX_TOKENS,
    targets: { added_median_ms: 1, streamed_requests_per_s: 2000 },
  };
  const ms = (x: number) => `${x.toFixed(3)} ms`;
  console.log('\ngateway on loopback (clients and servers in one process)');
  console.log(
    `  added median latency, serving a sim model: json ${ms(added('json'))}, stream ${ms(added('stream'))}; ` +
      `proxying to it: json ${ms(proxying('json'))}, stream ${ms(proxying('stream'))} (target < 1 ms)`,
  );
  console.log(
    `  streamed requests/s with ${CONCURRENCY} clients, median of ${ROUNDS} rounds: gateway ${gatewayRps.toFixed(0)}, ` +
      `proxy ${proxyRps.toFixed(0)}, bare hono ${bareRps.toFixed(0)} (target >= 2000)`,
  );
  console.log(loadLine());
  writeResults(NAME, { bench: NAME, node: process.version, arch: process.arch, results: rows });
  await s.proxy.close(1000);
  await s.gateway.close(1000);
}
