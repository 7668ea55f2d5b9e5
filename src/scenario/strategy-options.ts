/**
 * `strategy_options` are checked by the strategy itself: the loader parses the options of the router and
 * of each router-switch event with the strategy's own parser (and runs its model checks against the
 * scenario's models), so a bad option is reported with the file position of the key instead of failing
 * later inside a run. No picker is built here: the run builds its one.
 */
import type { RoutingConfig } from '../router/config.js';
import { RoutingConfigError } from '../router/errors.js';
import { STRATEGIES } from '../strategies/index.js';
import type { RawEvent } from './events/index.js';
import type { DataPath } from './positions.js';
import { toRoutingChanges } from './routing.js';
import type { Scenario } from './types.js';
import type { RawIssue } from './zod-issues.js';

/** Problems with the strategy options of the router and of each router-switch event. */
export function checkStrategyOptions(s: Scenario, events: readonly RawEvent[]): RawIssue[] {
  const out: RawIssue[] = [];
  check(s.router, s, ['router'], out);
  events.forEach((e, i) => {
    if (e.router?.strategy === undefined && e.router?.strategy_options === undefined) return;
    check({ ...s.router, ...toRoutingChanges(e.router) }, s, ['events', i, 'router'], out);
  });
  return out;
}

function check(config: RoutingConfig, s: Scenario, at: DataPath, out: RawIssue[]): void {
  const builder = STRATEGIES[config.strategy];
  if (!builder) return; // the schema reports unknown names
  try {
    builder.parse(config.strategy_options);
    builder.checkModels(s.models);
  } catch (err) {
    if (!(err instanceof RoutingConfigError)) return; // not an options problem; the run will say
    const field = err.field.split('.').filter((p) => p.length > 0);
    out.push({ path: [...at, ...field], message: err.message, atKey: /unknown/i.test(err.message) });
  }
}
