/**
 * Gateways for the gateway tests: each served from a scenario text loaded as if written in one scratch
 * folder (also where the tests put records and replays), all closed together at the end of the file.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { type Gateway, startGateway } from '../src/gateway/server.js';
import { loadScenario } from '../src/scenario/load.js';

/** A scratch folder named after `prefix`, and `gateway(yaml, record?)` serving the scenario in it. */
export function gatewayKit(prefix: string): {
  dir: string;
  gateway: (yaml: string, record?: string) => Promise<Gateway>;
} {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const open: Gateway[] = [];
  afterAll(async () => {
    await Promise.all(open.map((g) => g.close(1000)));
  });
  const gateway = async (yaml: string, record?: string): Promise<Gateway> => {
    const r = loadScenario(yaml, join(dir, 'scenario.yaml'), { serving: true });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    const gw = await startGateway(r.scenario, { port: 0, ...(record ? { record } : {}) });
    open.push(gw);
    return gw;
  };
  return { dir, gateway };
}
