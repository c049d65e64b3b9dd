/*
 * Limited-memory BFGS (Nocedal & Wright, Numerical Optimization, algorithm 7.4/7.5) with a
 * backtracking Armijo line search: deterministic, and fast for smooth convex problems such as
 * L2-regularised logistic regression.
 */

export interface Objective {
  /** Returns f(x) and writes ∇f(x) into `gradient`. */
  (x: Float64Array, gradient: Float64Array): number;
}

export interface LbfgsOptions {
  readonly maxIterations: number;
  readonly memory: number;
  /** Stop when the gradient's infinity norm falls below this. */
  readonly tolerance: number;
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i += 1) sum += (a[i] ?? 0) * (b[i] ?? 0);
  return sum;
}

export function minimizeLbfgs(objective: Objective, start: Float64Array, options: LbfgsOptions): Float64Array {
  const n = start.length;
  const x = Float64Array.from(start);
  const gradient = new Float64Array(n);
  let value = objective(x, gradient);
  const steps: Float64Array[] = [];
  const gradientChanges: Float64Array[] = [];
  const rhos: number[] = [];
  const direction = new Float64Array(n);
  const nextX = new Float64Array(n);
  const nextGradient = new Float64Array(n);

  for (let iteration = 0; iteration < options.maxIterations; iteration += 1) {
    let infinityNorm = 0;
    for (let i = 0; i < n; i += 1) infinityNorm = Math.max(infinityNorm, Math.abs(gradient[i] ?? 0));
    if (infinityNorm < options.tolerance) break;

    // Two-loop recursion: direction = -H∇f.
    for (let i = 0; i < n; i += 1) direction[i] = -(gradient[i] ?? 0);
    const alphas: number[] = [];
    for (let j = steps.length - 1; j >= 0; j -= 1) {
      const alpha = (rhos[j] ?? 0) * dot(steps[j] as Float64Array, direction);
      alphas[j] = alpha;
      const change = gradientChanges[j] as Float64Array;
      for (let i = 0; i < n; i += 1) direction[i] = (direction[i] ?? 0) - alpha * (change[i] ?? 0);
    }
    if (steps.length > 0) {
      const last = steps.length - 1;
      const change = gradientChanges[last] as Float64Array;
      const scale = dot(steps[last] as Float64Array, change) / dot(change, change);
      for (let i = 0; i < n; i += 1) direction[i] = (direction[i] ?? 0) * scale;
    } else {
      const scale = 1 / Math.max(1, Math.sqrt(dot(gradient, gradient)));
      for (let i = 0; i < n; i += 1) direction[i] = (direction[i] ?? 0) * scale;
    }
    for (let j = 0; j < steps.length; j += 1) {
      const beta = (rhos[j] ?? 0) * dot(gradientChanges[j] as Float64Array, direction);
      const step = steps[j] as Float64Array;
      for (let i = 0; i < n; i += 1) direction[i] = (direction[i] ?? 0) + (step[i] ?? 0) * ((alphas[j] ?? 0) - beta);
    }

    // Backtracking line search (Armijo condition).
    const slope = dot(gradient, direction);
    if (slope >= 0) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      steps.length = 0;
      gradientChanges.length = 0;
      rhos.length = 0;
      continue;
    }
    let stepSize = 1;
    let nextValue = Number.POSITIVE_INFINITY;
    for (let attempt = 0; attempt < 40; attempt += 1) {
      for (let i = 0; i < n; i += 1) nextX[i] = (x[i] ?? 0) + stepSize * (direction[i] ?? 0);
      nextValue = objective(nextX, nextGradient);
      if (nextValue <= value + 1e-4 * stepSize * slope) break;
      stepSize /= 2;
    }
    if (!(nextValue < value)) break;

    const step = new Float64Array(n);
    const change = new Float64Array(n);
    for (let i = 0; i < n; i += 1) {
      step[i] = (nextX[i] ?? 0) - (x[i] ?? 0);
      change[i] = (nextGradient[i] ?? 0) - (gradient[i] ?? 0);
    }
    const curvature = dot(step, change);
    if (curvature > 1e-12) {
      steps.push(step);
      gradientChanges.push(change);
      rhos.push(1 / curvature);
      if (steps.length > options.memory) {
        steps.shift();
        gradientChanges.shift();
        rhos.shift();
      }
    }
    x.set(nextX);
    gradient.set(nextGradient);
    const improvement = value - nextValue;
    value = nextValue;
    if (improvement < 1e-9 * Math.max(1, Math.abs(value))) break;
  }
  return x;
}
