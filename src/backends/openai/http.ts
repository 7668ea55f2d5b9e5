/**
 * The client's transport: one POST through node:http / node:https with a keep-alive Agent per origin
 * (sockets bounded at MAX_SOCKETS per origin, idle ones kept for reuse and unref'd so they never hold the
 * process open). Chosen over the global fetch: undici's per-request cost and its web streams were half
 * the proxy's CPU (bench/gateway.bench.ts). A request that fails on a reused keep-alive socket before any
 * response arrived (the server closed the idle connection as we reused it) is sent again once, on a fresh
 * socket, as Node's documentation advises: the server never saw it.
 */
import {
  type ClientRequest,
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** Sockets open at once to one origin (the backend's max_concurrency bounds the calls themselves). */
const MAX_SOCKETS = 1024;
/** Idle keep-alive sockets kept per origin. */
const MAX_FREE_SOCKETS = 256;

const agents = new Map<string, HttpAgent>();

function agentFor(u: URL): HttpAgent {
  let a = agents.get(u.origin);
  if (a === undefined) {
    const o = { keepAlive: true, maxSockets: MAX_SOCKETS, maxFreeSockets: MAX_FREE_SOCKETS };
    a = u.protocol === 'https:' ? new HttpsAgent(o) : new HttpAgent(o);
    agents.set(u.origin, a);
  }
  return a;
}

const urls = new Map<string, URL>();

/** `url` parsed (cached: a gateway posts to the same few URLs over and over). */
export function parsedUrl(url: string): URL {
  let u = urls.get(url);
  if (u === undefined) {
    u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:')
      throw new Error(`unsupported protocol ${u.protocol} (http: or https:)`);
    if (urls.size > 1024) urls.clear();
    urls.set(url, u);
  }
  return u;
}

/** A POST in flight: its response (or the reason there is none), and abort() to stop it. */
export interface Posted {
  response: Promise<IncomingMessage>;
  /** Destroy the request (and with it a response being read). */
  abort(): void;
}

/** POST `payload` to `u`. */
export function post(u: URL, headers: Record<string, string>, payload: string): Posted {
  let req: ClientRequest | null = null;
  let aborted = false;
  const send = (retry: boolean): Promise<IncomingMessage> =>
    new Promise((resolve, reject) => {
      const r = (u.protocol === 'https:' ? httpsRequest : httpRequest)({
        protocol: u.protocol,
        hostname: u.hostname.replace(/^\[|\]$/g, ''),
        port: u.port,
        path: `${u.pathname}${u.search}`,
        method: 'POST',
        agent: agentFor(u),
        headers: { ...headers, 'content-length': String(Buffer.byteLength(payload)) },
      });
      req = r;
      let answered = false;
      r.once('response', (res) => {
        answered = true;
        resolve(res);
      });
      r.on('error', (err) => {
        if (answered) return; // the response's own stream reports it
        const code = (err as { code?: unknown }).code;
        if (retry && !aborted && r.reusedSocket && (code === 'ECONNRESET' || code === 'EPIPE'))
          resolve(send(false));
        else reject(err);
      });
      r.end(payload);
    });
  const response = send(true);
  return {
    response,
    abort: () => {
      aborted = true;
      req?.destroy(new Error('aborted'));
    },
  };
}

/** A header's value (the first, when repeated); null when absent. */
export function header(h: IncomingHttpHeaders, name: string): string | null {
  const v = h[name];
  return v === undefined ? null : Array.isArray(v) ? (v[0] ?? null) : v;
}
