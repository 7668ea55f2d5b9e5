import { describe, expect, it } from 'vitest';
import { cpuThreadsAfterLoad, defaultCpuThreads, errorMessage, LogTail, withTimeout } from './runtime.js';

describe('withTimeout', () => {
  it('passes a settled value or error through', async () => {
    await expect(withTimeout(Promise.resolve(3), 1000, 'x')).resolves.toBe(3);
    await expect(withTimeout(Promise.reject(new Error('boom')), 1000, 'x')).rejects.toThrow('boom');
  });

  it('rejects with what timed out, and lets the caller abort the work', async () => {
    let aborted = false;
    const never = new Promise<number>(() => {});
    await expect(withTimeout(never, 5, 'loading', () => (aborted = true))).rejects.toThrow(
      'loading timed out after 5 ms',
    );
    expect(aborted).toBe(true);
  });

  it('does not limit a non-positive or infinite timeout', async () => {
    const p = Promise.resolve(1);
    expect(withTimeout(p, 0, 'x')).toBe(p);
    expect(withTimeout(p, Number.POSITIVE_INFINITY, 'x')).toBe(p);
  });
});

describe('LogTail', () => {
  it('keeps the newest lines and finds the cause of a failure after a mark', () => {
    const log = new LogTail(3);
    log.push('error', 'old: unrelated');
    const mark = log.mark();
    log.push('warn', 'something');
    log.push('error', "llama_model_load: error loading model: missing tensor 'blk.1.ffn_down.weight'");
    log.push('error', 'llama_model_load_from_file_impl: failed to load model');
    expect(log.since(mark)).toHaveLength(3);
    expect(log.lastError(mark)).toBe("error loading model: missing tensor 'blk.1.ffn_down.weight'");
    log.push('info', '   ');
    expect(log.since(0)).toHaveLength(3); // capped at 3, blank lines dropped
    expect(log.lastError(log.mark())).toBeNull();
  });
});

describe('helpers', () => {
  it('leaves a core to the JS thread and stringifies anything thrown', () => {
    expect(defaultCpuThreads()).toBeGreaterThanOrEqual(1);
    expect(errorMessage(new Error('e'))).toBe('e');
    expect(errorMessage('s')).toBe('s');
  });
});

describe('cpuThreadsAfterLoad', () => {
  it('caps the threads when gpu auto falls back to the CPU (calibrate was ~100x slower on 2 cores)', () => {
    expect(cpuThreadsAfterLoad('auto', false, undefined)).toBe(defaultCpuThreads());
    expect(cpuThreadsAfterLoad('cuda', false, undefined)).toBe(defaultCpuThreads());
  });

  it('leaves a GPU, an explicit thread count and an explicit CPU choice (already capped) alone', () => {
    expect(cpuThreadsAfterLoad('auto', 'cuda', undefined)).toBeUndefined();
    expect(cpuThreadsAfterLoad('auto', false, 3)).toBeUndefined();
    expect(cpuThreadsAfterLoad(false, false, undefined)).toBeUndefined();
  });
});
