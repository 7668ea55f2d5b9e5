/**
 * startGateway: the HTTP server (hono on @hono/node-server) in front of a Fleet. OpenAI-compatible
 * endpoints — POST /v1/chat/completions and /v1/completions (stream or not), GET /v1/models — plus
 * GET /healthz and GET /metrics (Prometheus text). The `model` of a request is `auto` (or the scenario's
 * name): the router chooses; or a model id of the scenario: routed there while it is eligible (the
 * router's preferred model), elsewhere when not. The session (affinity) is the `x-session-id` header, else
 * the body's `user`. Every bad request gets an OpenAI-style error body with its status (400 bad body,
 * 404 unknown model or path, 405 wrong method, 413 body over the limit, 503 nothing can serve or
 * shutting down); nothing a client sends can crash the process.
 *
 * close(): stops accepting, lets the requests in flight finish within the grace period, ends the rest
 * cleanly (an error event on a stream, an error body otherwise), stops the fleet and writes the record.
 */
import type { AddressInfo } from 'node:net';
import { type HttpBindings, type ServerType, serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { GpuChoice } from '../backends/gguf/runtime.js';
import { resolveApiKeys } from '../scenario/api-keys.js';
import type { Scenario } from '../scenario/types.js';
import { readJsonBody } from './body.js';
import { errorResponse, HttpExchange } from './exchange.js';
import { type Exchange, Fleet } from './fleet.js';
import { GatewayMetrics } from './metrics.js';
import { ApiError, type ApiKind, parseRequest } from './openai-api.js';
import { TraceRecorder } from './record.js';

export interface GatewayOptions {
  /** Port to listen on (0: any free port; default 8080). */
  port?: number;
  /** Address to listen on (default 127.0.0.1). */
  host?: string;
  /** Write the served requests to this native trace when closing. */
  record?: string;
  /** Files the scenario reads (the record may not overwrite them). */
  inputs?: readonly string[];
  /** Largest request body in bytes (default 4 MiB). */
  body_limit?: number;
  /** Overrides every gguf model's `gpu:`. */
  gpu?: GpuChoice;
  /** llama.cpp CPU threads for gguf models (default: node-llama-cpp's choice). */
  threads?: number;
  /** Progress lines (models loaded, failed). */
  onLog?: (line: string) => void;
  /** Where openai models' `api_key_env` variables are read (default process.env). */
  env?: NodeJS.ProcessEnv;
}

export interface Gateway {
  /** http://host:port */
  readonly url: string;
  readonly port: number;
  readonly fleet: Fleet;
  readonly metrics: GatewayMetrics;
  /** Graceful shutdown (idempotent): requests in flight get up to `grace_ms` (default 10 s) to finish. */
  close(grace_ms?: number): Promise<void>;
}

const DEFAULT_BODY_LIMIT = 4 * 1024 * 1024;
/** The model name that lets the router choose. */
const AUTO_MODEL = 'auto';
const DEFAULT_GRACE_MS = 10_000;
const SESSION_HEADER = 'x-session-id';
const HEALTH_SCORE = { healthy: 1, degraded: 0.5, unhealthy: 0 } as const;

export async function startGateway(scenario: Scenario, opts: GatewayOptions = {}): Promise<Gateway> {
  const log = opts.onLog ?? (() => undefined);
  let fleet!: Fleet;
  const metrics = new GatewayMetrics(
    scenario.models.map((m) => m.id),
    {
      affinityEntries: () => fleet.router.affinityEntries(),
      healthScores: () => fleet.ids.map((id, i) => [id, HEALTH_SCORE[fleet.registry.healthOf(i)]]),
    },
  );
  fleet = new Fleet(scenario, metrics);
  await loadRealModels(scenario, fleet, opts, log);
  const recorder = opts.record ? new TraceRecorder(opts.record, opts.inputs) : null;
  const ctx = {
    ids: fleet.ids,
    metrics,
    record: recorder ? (r: Parameters<TraceRecorder['add']>[0]) => recorder.add(r) : null,
    gone: (x: Exchange) => fleet.clientGone(x),
  };
  let closing = false;

  const app = new Hono<{ Bindings: HttpBindings }>();
  const limit = opts.body_limit ?? DEFAULT_BODY_LIMIT;
  const completions = (kind: ApiKind) => async (c: { env: HttpBindings }) => {
    if (closing)
      return errorResponse(
        new ApiError(503, 'the gateway is shutting down', 'server_error', null, 'shutting_down'),
      );
    const incoming = c.env.incoming;
    const api = parseRequest(kind, await readJsonBody(incoming, limit));
    let preferred: string | undefined;
    if (api.model !== AUTO_MODEL && api.model !== scenario.name) {
      if (fleet.cluster.indexOf(api.model) < 0)
        throw new ApiError(
          404,
          `The model '${api.model}' does not exist`,
          'invalid_request_error',
          'model',
          'model_not_found',
        );
      preferred = api.model;
    }
    const header = incoming.headers[SESSION_HEADER];
    const session = (typeof header === 'string' ? header : undefined) ?? api.user;
    const x = new HttpExchange(api, ctx, c.env.outgoing, session || undefined, preferred);
    fleet.serve(x);
    return x.response;
  };
  for (const [path, kind] of [
    ['/v1/chat/completions', 'chat'],
    ['/v1/completions', 'completions'],
  ] as const) {
    app.post(path, completions(kind));
    app.all(path, () => notAllowed('POST'));
  }
  app.get('/v1/models', () => {
    const created = Math.floor(Date.now() / 1000);
    const model = (id: string) => ({ id, object: 'model', created, owned_by: 'routesim' });
    return Response.json({ object: 'list', data: [model(AUTO_MODEL), ...fleet.ids.map(model)] });
  });
  app.get('/healthz', () => {
    const models: Record<string, string> = {};
    fleet.ids.forEach((id, i) => {
      models[id] = fleet.registry.healthOf(i);
    });
    const up = !closing && Object.values(models).some((h) => h !== 'unhealthy');
    return Response.json({ status: up ? 'ok' : 'unavailable', models }, { status: up ? 200 : 503 });
  });
  app.get(
    '/metrics',
    async () => new Response(await metrics.text(), { headers: { 'content-type': metrics.contentType } }),
  );
  for (const path of ['/v1/models', '/healthz', '/metrics']) app.all(path, () => notAllowed('GET'));
  app.notFound((c) =>
    errorResponse(
      new ApiError(
        404,
        `no route for ${c.req.method} ${c.req.path}`,
        'invalid_request_error',
        null,
        'not_found',
      ),
    ),
  );
  app.onError((err) =>
    errorResponse(
      err instanceof ApiError
        ? err
        : new ApiError(500, `internal error: ${(err as Error).message}`, 'server_error'),
    ),
  );

  fleet.start();
  let server: ServerType;
  try {
    server = await listen(app, opts.port ?? 8080, opts.host ?? '127.0.0.1');
  } catch (err) {
    // A port in use or an unknown host: stop what fleet.start() began (probes, timeline timers, models),
    // or they keep the process alive after the command has reported the error (it used to hang there).
    await fleet.stop();
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  const host = opts.host ?? '127.0.0.1';
  let closed: Promise<void> | null = null;
  const close = (grace_ms = DEFAULT_GRACE_MS) => {
    closed ??= (async () => {
      closing = true;
      const stopped = new Promise<void>((r) => server.close(() => r()));
      if ('closeIdleConnections' in server) server.closeIdleConnections();
      const until = Date.now() + grace_ms;
      while (fleet.inFlight > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      if (fleet.inFlight > 0) fleet.abandonAll('the gateway shut down before the request finished');
      // Let the last bytes go out, then drop what is left open.
      await new Promise((r) => setTimeout(r, 20));
      if ('closeAllConnections' in server) server.closeAllConnections();
      await stopped;
      await fleet.stop();
      recorder?.close();
    })();
    return closed;
  };
  return { url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`, port, fleet, metrics, close };
}

function notAllowed(allow: string): Response {
  const e = new ApiError(
    405,
    `method not allowed; use ${allow}`,
    'invalid_request_error',
    null,
    'method_not_allowed',
  );
  const r = errorResponse(e);
  r.headers.set('allow', allow);
  return r;
}

function listen(app: Hono<{ Bindings: HttpBindings }>, port: number, hostname: string): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname }, () => resolve(server));
    server.once('error', reject);
  });
}

/**
 * Load the scenario's gguf models and reach its openai ones (in parallel). A gguf model that fails to load
 * is unhealthy from the start; an openai server that does not answer fails its probes until it does.
 * Throws UserError when an `api_key_env` variable is not set.
 */
async function loadRealModels(
  scenario: Scenario,
  fleet: Fleet,
  opts: GatewayOptions,
  log: (l: string) => void,
) {
  const keys = resolveApiKeys(scenario, opts.env);
  const real = (kind: string) => scenario.models.some((m) => m.backend === kind);
  const openai = real('openai') ? (await import('../backends/openai/backend.js')).OpenAIBackend : null;
  const gguf = real('gguf') ? (await import('../backends/gguf/backend.js')).createGgufBackend : null;
  await Promise.all(
    scenario.models.map(async (m, i) => {
      const o = m.openai;
      if (openai && m.backend === 'openai' && o) {
        const b = new openai(m, fleet.hostFor(i), {
          api_key: keys[i],
          request: (id) => fleet.upstreamRequest(id, o.api_model),
          relay: (id, ev) => fleet.relay(id, ev.data, ev.tokens),
        });
        fleet.setLive(i, b);
        const ok = await b.check();
        log(`${m.id}: ${ok ? `reached ${b.device}` : `${b.failure}; unhealthy until its probes pass`}`);
        return;
      }
      if (!gguf || m.backend !== 'gguf' || m.gguf === null) return;
      const b = await gguf(m, fleet.hostFor(i), {
        ...(opts.gpu !== undefined ? { gpu: opts.gpu } : {}),
        ...(opts.threads !== undefined ? { threads: opts.threads } : {}),
      });
      fleet.setLive(i, b);
      if (b.state === 'ready') log(`${m.id}: loaded on ${b.device}`);
      else {
        log(`${m.id}: ${b.failure ?? 'failed to load'}; marked unhealthy`);
        fleet.markUnhealthy(i);
      }
    }),
  );
}
