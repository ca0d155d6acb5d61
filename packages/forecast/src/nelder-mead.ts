/** Options of {@link nelderMead}. */
export interface NelderMeadOptions {
  /** Maximum objective evaluations. Default 400. */
  maxEvaluations?: number;
  /** Initial simplex step per coordinate. Default 1. */
  step?: number;
  /** Stop when the spread of objective values in the simplex is below `tolerance·(1+|fbest|)`. Default 1e-10. */
  tolerance?: number;
}

/** Result of {@link nelderMead}. */
export interface NelderMeadResult {
  x: number[];
  fx: number;
  evaluations: number;
}

/**
 * Minimise `f` over ℝⁿ with the Nelder–Mead simplex method (reflection 1, expansion 2,
 * contraction ½, shrink ½). Unconstrained: map bounded parameters through a transform
 * (e.g. logistic) inside `f`. Non-finite objective values are treated as +∞.
 */
export function nelderMead(
  f: (x: number[]) => number,
  x0: readonly number[],
  { maxEvaluations = 400, step = 1, tolerance = 1e-10 }: NelderMeadOptions = {},
): NelderMeadResult {
  const n = x0.length;
  let evaluations = 0;
  const evalf = (x: number[]): number => {
    evaluations++;
    const v = f(x);
    return Number.isFinite(v) ? v : Infinity;
  };
  let simplex: { x: number[]; fx: number }[] = [{ x: [...x0], fx: evalf([...x0]) }];
  for (let i = 0; i < n; i++) {
    const x = [...x0];
    x[i] += step;
    simplex.push({ x, fx: evalf(x) });
  }
  const along = (from: number[], to: number[], t: number): number[] => from.map((v, i) => v + t * (to[i] - v));

  // An iteration costs at most n + 2 evaluations (reflect, contract, shrink n): stop before exceeding the budget.
  while (evaluations + n + 2 <= maxEvaluations) {
    simplex.sort((a, b) => a.fx - b.fx);
    const best = simplex[0];
    const worst = simplex[n];
    if (Math.abs(worst.fx - best.fx) <= tolerance * (1 + Math.abs(best.fx))) break;
    const centroid = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) centroid[j] += simplex[i].x[j] / n;

    const xr = along(centroid, worst.x, -1);
    const fr = evalf(xr);
    if (fr < best.fx) {
      const xe = along(centroid, worst.x, -2);
      const fe = evalf(xe);
      simplex[n] = fe < fr ? { x: xe, fx: fe } : { x: xr, fx: fr };
    } else if (fr < simplex[n - 1].fx) {
      simplex[n] = { x: xr, fx: fr };
    } else {
      const outside = fr < worst.fx;
      const xc = along(centroid, outside ? xr : worst.x, 0.5);
      const fc = evalf(xc);
      if (fc < (outside ? fr : worst.fx)) {
        simplex[n] = { x: xc, fx: fc };
      } else {
        simplex = simplex.map((v, i) => {
          if (i === 0) return v;
          const x = along(best.x, v.x, 0.5);
          return { x, fx: evalf(x) };
        });
      }
    }
  }
  simplex.sort((a, b) => a.fx - b.fx);
  return { x: simplex[0].x, fx: simplex[0].fx, evaluations };
}
