import { describe, expect, it } from 'vitest';
import { UserError } from '../../core/errors.js';
import { compareCells, shardCells } from '../compare/cells.js';
import { gridVariants, parseAxes, splitValues } from './grid.js';
import { parseShard } from './sweep.js';

describe('parseAxes / gridVariants', () => {
  it('builds the cartesian product, first axis slowest, values kept as typed', () => {
    const axes = parseAxes(['router.strategy=a,b,c', 'router.max_load_threshold=0.5, 1']);
    const vs = gridVariants(axes);
    expect(vs.map((v) => v.coords)).toEqual([
      ['a', '0.5'],
      ['a', '1'],
      ['b', '0.5'],
      ['b', '1'],
      ['c', '0.5'],
      ['c', '1'],
    ]);
    expect(vs[3].name).toBe('router.strategy=b router.max_load_threshold=1');
    expect(vs[3].overrides).toEqual({ 'router.strategy': 'b', 'router.max_load_threshold': '1' });
  });

  it('splits on commas outside brackets and quotes', () => {
    expect(splitValues('[a,b],[c],"x,y",3')).toEqual(['[a,b]', '[c]', '"x,y"', '3']);
  });

  it('refuses a flag without =, empty values, repeated values and a key set twice, naming each', () => {
    const problems = (sets: string[]) => {
      try {
        parseAxes(sets);
      } catch (e) {
        expect(e).toBeInstanceOf(UserError);
        return (e as UserError).problems.map((p) => p.message);
      }
      throw new Error('expected a UserError');
    };
    expect(problems(['router.strategy', 'a.b=1,,2', 'c=1,1', 'd=1', 'd=2'])).toEqual([
      '--set router.strategy: expected key=v1,v2 (e.g. router.strategy=least_loaded,cache_aware)',
      '--set a.b: an empty value in "1,,2"',
      '--set c: a value is listed twice in "1,1"',
      '--set d: the key is set twice; list all its values in one --set',
    ]);
    expect(() => parseAxes([])).toThrow(UserError);
  });
});

describe('shards', () => {
  it('parses K/N and refuses K outside 1..N', () => {
    expect(parseShard('2/5')).toEqual({ k: 2, n: 5 });
    for (const bad of ['0/3', '4/3', '1', 'a/b', '1/0']) expect(() => parseShard(bad)).toThrow(UserError);
  });

  it('partitions the cells: every cell in exactly one shard', () => {
    const cells = compareCells(gridVariants(parseAxes(['x=1,2,3', 'y=a,b,c,d,e'])), [1, 2, 3]);
    const seen = [1, 2, 3, 4].flatMap((k) => shardCells(cells, k, 4).map((c) => c.index));
    expect(seen.sort((a, b) => a - b)).toEqual(cells.map((c) => c.index));
    expect(
      shardCells(cells, 2, 4)
        .map((c) => c.index)
        .slice(0, 3),
    ).toEqual([1, 5, 9]);
  });
});
