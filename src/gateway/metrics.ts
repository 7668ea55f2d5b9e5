/**
 * The gateway's Prometheus metrics (prom-client, on a Registry of its own: two gateways in one process,
 * as in the tests, never share counters). Names and labels are part of the README's contract:
 *
 *   routesim_gateway_requests_total{model,outcome}   requests finished, by the model that served the last
 *                                                    attempt ("none": rejected before any) and outcome
 *   routesim_gateway_attempts_total{model}           attempts sent to each model (retries included)
 *   routesim_gateway_errors_total{model,kind}        failed attempts (error, timeout, rate_limited, rejected)
 *   routesim_gateway_retries_total{model}            attempts retried elsewhere, by the model that failed
 *   routesim_gateway_fallbacks_total{model}          decisions that needed a relaxed filter, by model chosen
 *   routesim_gateway_routing_decisions_total{source} decisions by what made them (strategy name, affinity,
 *                                                    ab_test, preferred)
 *   routesim_gateway_ttft_seconds{model}             request arrival to first token (ok requests)
 *   routesim_gateway_itl_seconds{model}              mean gap between output tokens of one request
 *   routesim_gateway_e2e_seconds{model}              request arrival to its last byte (ok requests)
 *   routesim_gateway_affinity_entries                session-affinity entries the router holds
 *   routesim_gateway_model_health{model}             health as the router sees it: 1, 0.5 degraded, 0
 *   routesim_gateway_in_flight                       requests being served now
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

const BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const ITL_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

/** What the metrics read from the router when scraped. */
export interface RouterGauges {
  affinityEntries(): number;
  /** Per model id, 1 healthy, 0.5 degraded, 0 unhealthy. */
  healthScores(): [string, number][];
}

export class GatewayMetrics {
  readonly registry = new Registry();
  readonly requests: Counter<'model' | 'outcome'>;
  readonly attempts: Counter<'model'>;
  readonly errors: Counter<'model' | 'kind'>;
  readonly retries: Counter<'model'>;
  readonly fallbacks: Counter<'model'>;
  readonly decisions: Counter<'source'>;
  readonly ttft: Histogram<'model'>;
  readonly itl: Histogram<'model'>;
  readonly e2e: Histogram<'model'>;
  readonly inFlight: Gauge;

  constructor(models: readonly string[], gauges: RouterGauges) {
    const registers = [this.registry];
    const p = 'routesim_gateway_';
    this.requests = new Counter({
      name: `${p}requests_total`,
      help: 'Requests finished, by the model of their last attempt and outcome',
      labelNames: ['model', 'outcome'],
      registers,
    });
    this.attempts = new Counter({
      name: `${p}attempts_total`,
      help: 'Attempts sent to each model, retries included',
      labelNames: ['model'],
      registers,
    });
    this.errors = new Counter({
      name: `${p}errors_total`,
      help: 'Failed attempts by model and kind',
      labelNames: ['model', 'kind'],
      registers,
    });
    this.retries = new Counter({
      name: `${p}retries_total`,
      help: 'Attempts retried on another model, by the model that failed',
      labelNames: ['model'],
      registers,
    });
    this.fallbacks = new Counter({
      name: `${p}fallbacks_total`,
      help: 'Routing decisions that needed a relaxed filter, by the model chosen',
      labelNames: ['model'],
      registers,
    });
    this.decisions = new Counter({
      name: `${p}routing_decisions_total`,
      help: 'Routing decisions by what made them',
      labelNames: ['source'],
      registers,
    });
    const hist = (name: string, help: string, buckets: number[]) =>
      new Histogram({ name: `${p}${name}`, help, labelNames: ['model'], buckets, registers });
    this.ttft = hist('ttft_seconds', 'Request arrival to first token', BUCKETS);
    this.itl = hist('itl_seconds', 'Mean gap between the output tokens of a request', ITL_BUCKETS);
    this.e2e = hist('e2e_seconds', 'Request arrival to its last byte', BUCKETS);
    this.inFlight = new Gauge({ name: `${p}in_flight`, help: 'Requests being served now', registers });
    new Gauge({
      name: `${p}affinity_entries`,
      help: 'Session-affinity entries the router holds',
      registers,
      collect() {
        this.set(gauges.affinityEntries());
      },
    });
    new Gauge({
      name: `${p}model_health`,
      help: 'Model health as the router sees it: 1 healthy, 0.5 degraded, 0 unhealthy',
      labelNames: ['model'],
      registers,
      collect() {
        for (const [model, v] of gauges.healthScores()) this.set({ model }, v);
      },
    });
    // Every model shows from the first scrape, at zero.
    for (const model of models) {
      this.attempts.inc({ model }, 0);
      this.retries.inc({ model }, 0);
      this.fallbacks.inc({ model }, 0);
    }
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
