/** What every bench/*.bench.ts returns from its default export. */
export interface BenchResult {
  /** Section name in docs/benchmarks.md (between <!-- bench:NAME --> markers). */
  name: string;
  /** Markdown: the figures as a table, with a line on how to read them. */
  table: string;
  /** Headline figures, for machines (CI logs, comparisons). */
  summary: Record<string, number | string>;
}

export type Bench = () => Promise<BenchResult>;
