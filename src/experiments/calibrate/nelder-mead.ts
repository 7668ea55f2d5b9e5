/**
 * Bounded Nelder-Mead: minimise f over a box, deterministically. Each parameter is searched on a scale
 * where equal steps are equal ratios: log(x) when its lower bound is above 0, else log(x + s) with s a
 * thousandth of its range (so 0 stays reachable); points are clamped to the box. After the simplex
 * converges it is restarted around the best point with a fresh simplex (a few times), which recovers
 * from the collapsed simplices plain Nelder-Mead is known for. No randomness: the same f gives the same
 * answer.
 */

export interface FitParam {
  name: string;
  min: number;
  max: number;
  /** Starting value, within [min, max]. */
  init: number;
}

export interface FitOptions {
  /** Most evaluations of f in all (default 300). */
  maxEvals?: number;
  /** Restarts after the first convergence (default 2). */
  restarts?: number;
  /** Converged when the simplex's f values span less than this (default 1e-6). */
  fTol?: number;
  /** Initial simplex step on the search scale (default 0.3: about ±35% for a log parameter). */
  step?: number;
  /** Called after each evaluation. */
  onEval?: (x: readonly number[], fx: number, evals: number) => void;
}

export interface FitResult {
  x: number[];
  fx: number;
  evals: number;
}

interface Scale {
  to(x: number): number;
  from(u: number): number;
}

function scaleOf(p: FitParam): Scale {
  const s = p.min > 0 ? 0 : (p.max - p.min) / 1000;
  const lo = Math.log(p.min + s);
  const hi = Math.log(p.max + s);
  return {
    to: (x) => Math.log(Math.min(p.max, Math.max(p.min, x)) + s),
    from: (u) => Math.min(p.max, Math.max(p.min, Math.exp(Math.min(hi, Math.max(lo, u))) - s)),
  };
}

/** Minimises `f` (its argument in the parameters' units, in `params` order). */
export async function nelderMead(
  params: readonly FitParam[],
  f: (x: readonly number[]) => number | Promise<number>,
  opts: FitOptions = {},
): Promise<FitResult> {
  const n = params.length;
  const maxEvals = opts.maxEvals ?? 300;
  const fTol = opts.fTol ?? 1e-6;
  const step = opts.step ?? 0.3;
  const scales = params.map(scaleOf);
  let evals = 0;
  const cache = new Map<string, number>();
  const value = async (u: readonly number[]): Promise<number> => {
    const x = u.map((v, i) => scales[i].from(v));
    const key = x.join(',');
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    evals++;
    const fx = await f(x);
    const v = Number.isFinite(fx) ? fx : Number.MAX_VALUE;
    cache.set(key, v);
    opts.onEval?.(x, v, evals);
    return v;
  };
  let best = params.map((p, i) => scales[i].to(p.init));
  let bestF = await value(best);
  for (let round = 0; round <= (opts.restarts ?? 2) && evals < maxEvals; round++) {
    const s = step / (round + 1);
    const pts: number[][] = [best.slice()];
    for (let i = 0; i < n; i++) {
      const p = best.slice();
      // Step inwards when the point sits at the upper end of the box.
      p[i] += scales[i].from(p[i] + s) === scales[i].from(p[i]) ? -s : s;
      pts.push(p);
    }
    let fs: number[] = [];
    for (const p of pts) fs.push(await value(p));
    while (evals < maxEvals) {
      const order = fs.map((_, i) => i).sort((a, b) => fs[a] - fs[b] || a - b);
      const sorted = order.map((i) => pts[i]);
      const sortedF = order.map((i) => fs[i]);
      pts.splice(0, pts.length, ...sorted);
      fs = sortedF;
      if (fs[n] - fs[0] < fTol) break;
      const c = new Array<number>(n).fill(0);
      for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) c[i] += pts[k][i] / n;
      const along = (t: number) => c.map((ci, i) => ci + t * (pts[n][i] - ci));
      const r = along(-1);
      const fr = await value(r);
      if (fr < fs[0]) {
        const e = along(-2);
        const fe = await value(e);
        if (fe < fr) [pts[n], fs[n]] = [e, fe];
        else [pts[n], fs[n]] = [r, fr];
      } else if (fr < fs[n - 1]) {
        [pts[n], fs[n]] = [r, fr];
      } else {
        const k = fr < fs[n] ? along(-0.5) : along(0.5);
        const fk = await value(k);
        if (fk < Math.min(fr, fs[n])) [pts[n], fs[n]] = [k, fk];
        else {
          for (let j = 1; j <= n; j++) {
            pts[j] = pts[j].map((v, i) => pts[0][i] + 0.5 * (v - pts[0][i]));
            fs[j] = await value(pts[j]);
          }
        }
      }
    }
    const i0 = fs.indexOf(Math.min(...fs));
    if (fs[i0] <= bestF) {
      bestF = fs[i0];
      best = pts[i0].slice();
    }
  }
  return { x: best.map((u, i) => scales[i].from(u)), fx: bestF, evals };
}
