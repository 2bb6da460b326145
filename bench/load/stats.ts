/** Latency samples and their percentiles (exact: the sample counts of a bench run fit in memory). */
export class LatencySamples {
  private values: number[] = [];
  private sorted = true;

  add(ms: number): void {
    this.values.push(ms);
    this.sorted = false;
  }

  /** `n` samples of the same value (merging a histogram from another process). */
  addRepeated(ms: number, n: number): void {
    for (let i = 0; i < n; i++) this.values.push(ms);
    if (n > 0) this.sorted = false;
  }

  get count(): number {
    return this.values.length;
  }

  /** The samples as [value, count] pairs (compact over IPC when values are whole milliseconds). */
  histogram(): Array<[number, number]> {
    const counts = new Map<number, number>();
    for (const v of this.values) counts.set(v, (counts.get(v) ?? 0) + 1);
    return [...counts];
  }

  static fromHistograms(histograms: Iterable<Array<[number, number]>>): LatencySamples {
    const samples = new LatencySamples();
    for (const h of histograms) for (const [value, n] of h) samples.addRepeated(value, n);
    return samples;
  }

  /** The p-th percentile (0-100) by nearest rank; NaN without samples. */
  percentile(p: number): number {
    if (this.values.length === 0) return Number.NaN;
    if (!this.sorted) {
      this.values.sort((a, b) => a - b);
      this.sorted = true;
    }
    const rank = Math.min(this.values.length, Math.max(1, Math.ceil((p / 100) * this.values.length)));
    return this.values[rank - 1]!;
  }

  summary(): { count: number; p50: number; p95: number; p99: number; max: number } {
    return {
      count: this.count,
      p50: this.percentile(50),
      p95: this.percentile(95),
      p99: this.percentile(99),
      max: this.percentile(100),
    };
  }
}

export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
