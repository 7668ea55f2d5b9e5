/** Shared by the reader tests: fixture paths and draining a source. */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ArrivalRecord, RequestSource } from '../source.js';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/traces');

export function fixture(name: string): string {
  return join(FIXTURES, name);
}

/** Every record of a source, copied (sources may reuse objects). */
export function drain(src: RequestSource): ArrivalRecord[] {
  const out: ArrivalRecord[] = [];
  for (let r = src.next(); r !== null; r = src.next()) out.push({ ...r });
  return out;
}
