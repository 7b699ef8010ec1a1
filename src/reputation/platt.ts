/** A fitted Platt map q = σ(a·logit(p) + b). */
export interface PlattFit {
  /** Slope on logit(p); 1 with b = 0 is the identity. */
  a: number;
  /** Intercept. */
  b: number;
}

const CLIP = 1e-4;

/** logit(p) with p clipped to [1e-4, 1 − 1e-4]. */
export function clippedLogit(p: number): number {
  const q = Math.min(1 - CLIP, Math.max(CLIP, p));
  return Math.log(q / (1 - q));
}

/**
 * Platt scaling on stated probabilities: logistic regression of y on logit(p), fitted by Newton's
 * method with a small ridge penalty λ·((a − 1)² + b²) that pulls towards the identity map, so a
 * handful of rows or a single class still gives a finite, sensible fit.
 */
export function fitPlatt(options: {
  /** Stated probabilities. */
  p: ArrayLike<number>;
  /** Outcomes 0/1. */
  y: ArrayLike<number>;
  /** Ridge strength (default 1). */
  ridge?: number;
}): PlattFit {
  const { p, y, ridge = 1 } = options;
  const z = Array.from(p, (value) => clippedLogit(value));
  let a = 1;
  let b = 0;
  for (let iteration = 0; iteration < 50; iteration++) {
    // Gradient and Hessian of the penalized negative log-likelihood.
    let ga = 2 * ridge * (a - 1);
    let gb = 2 * ridge * b;
    let haa = 2 * ridge;
    let hab = 0;
    let hbb = 2 * ridge;
    for (let i = 0; i < z.length; i++) {
      const zi = z[i] as number;
      const q = 1 / (1 + Math.exp(-(a * zi + b)));
      const r = q - (y[i] as number);
      ga += r * zi;
      gb += r;
      const w = q * (1 - q);
      haa += w * zi * zi;
      hab += w * zi;
      hbb += w;
    }
    const det = haa * hbb - hab * hab;
    if (!(det > 0)) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) + Math.abs(db) < 1e-10) break;
  }
  return { a, b };
}

/** Applies a Platt fit to a stated probability. */
export function applyPlatt(fit: PlattFit, p: number): number {
  return 1 / (1 + Math.exp(-(fit.a * clippedLogit(p) + fit.b)));
}
