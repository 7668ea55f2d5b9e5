/**
 * Child process of route.bench.ts: heap bytes per route() decision for ONE strategy in a fresh process,
 * as a service (or a simulation) runs one strategy. Measured in the bench's own process instead, after
 * all twelve strategies have gone through the router's call sites, V8 turns them megamorphic and boxes
 * one double per decision (16 bytes): that is the harness, not the router's steady state.
 * Usage: node --expose-gc --import tsx bench/route-alloc.child.ts STRATEGY MODELS
 */
import type { StrategyName } from '../src/strategies/index.js';
import { bytesPerCall, fixture } from './route.bench.js';

const [strategy, models] = process.argv.slice(2);
process.stdout.write(`${bytesPerCall(fixture(strategy as StrategyName, Number(models)))}\n`);
