/*
 * The little dense linear algebra the package needs: inverting a small (≤ 6 × 6) symmetric
 * matrix for the log-rank covariance and the regression normal equations.
 */

/**
 * The inverse of a square matrix by Gauss-Jordan elimination with partial pivoting (Golub &
 * Van Loan, Matrix Computations, §3.4), or null when it is singular: a pivot no larger than
 * `relativeTolerance` times the largest entry counts as zero, so near-collinear inputs are
 * reported as singular instead of producing huge, meaningless numbers.
 */
export function invertMatrix(matrix: readonly (readonly number[])[], relativeTolerance = 1e-10): number[][] | null {
  const size = matrix.length;
  if (matrix.some((row) => row.length !== size)) throw new RangeError("invertMatrix needs a square matrix");
  // Row-major [A | I]; elimination turns it into [I | A⁻¹].
  const width = 2 * size;
  const work = new Float64Array(size * width);
  const at = (row: number, column: number) => work[row * width + column] ?? 0;
  let largest = 0;
  matrix.forEach((row, i) => {
    row.forEach((value, j) => {
      work[i * width + j] = value;
      largest = Math.max(largest, Math.abs(value));
    });
    work[i * width + size + i] = 1;
  });
  const tolerance = relativeTolerance * largest;

  for (let column = 0; column < size; column += 1) {
    // The largest remaining entry as pivot keeps round-off from being amplified by a small divisor.
    let pivotRow = column;
    for (let row = column + 1; row < size; row += 1) {
      if (Math.abs(at(row, column)) > Math.abs(at(pivotRow, column))) pivotRow = row;
    }
    const pivot = at(pivotRow, column);
    if (!(Math.abs(pivot) > tolerance)) return null;
    for (let j = 0; j < width; j += 1) {
      const value = at(pivotRow, j);
      work[pivotRow * width + j] = at(column, j);
      work[column * width + j] = value / pivot;
    }
    for (let row = 0; row < size; row += 1) {
      const factor = at(row, column);
      if (row === column || factor === 0) continue;
      for (let j = 0; j < width; j += 1) work[row * width + j] = at(row, j) - factor * at(column, j);
    }
  }
  return Array.from({ length: size }, (_, i) => Array.from({ length: size }, (_, j) => at(i, size + j)));
}

/** vᵀ·M·v. */
export function quadraticForm(vector: readonly number[], matrix: readonly (readonly number[])[]): number {
  let total = 0;
  vector.forEach((left, i) => {
    vector.forEach((right, j) => {
      total += left * (matrix[i]?.[j] ?? 0) * right;
    });
  });
  return total;
}

/** M·v. */
export function multiply(matrix: readonly (readonly number[])[], vector: readonly number[]): number[] {
  return matrix.map((row) => row.reduce((total, value, j) => total + value * (vector[j] ?? 0), 0));
}
