/**
 * The latency chart of docs/benchmarks.md as a self-contained SVG (no dependencies):
 * console-to-viewer latency p50/p95/p99 (or the percentiles asked for) against offered
 * load, one colour per server mode, with the 150 ms target drawn across.
 */
export interface ChartPoint {
  /** Offered load, events per second over all courts. */
  rate: number;
  p50: number;
  p95: number;
  p99: number;
}

export interface ChartSeries {
  label: string;
  points: ChartPoint[];
}

const WIDTH = 760;
const HEIGHT = 420;
const MARGIN = { top: 40, right: 190, bottom: 50, left: 60 };
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e'];
/** The y axis ends at this many times the target. */
const Y_CAP_TARGETS = 4;
const DASH: Record<'p50' | 'p95' | 'p99', string> = { p50: '2,3', p95: '6,3', p99: '' };

export type Percentile = keyof typeof DASH;

export function latencyChartSvg(
  series: ChartSeries[],
  targetMs: number,
  title: string,
  percentiles: Percentile[] = ['p50', 'p95', 'p99'],
): string {
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const all = series.flatMap((s) => s.points).filter((p) => Number.isFinite(p.p99));
  const maxRate = niceCeil(Math.max(1, ...all.map((p) => p.rate)));
  // Beyond a few times the target the exact value matters less than the shape near it:
  // higher points are drawn on the top edge (the table has the figures).
  const maxMs = niceCeil(Math.min(targetMs * Y_CAP_TARGETS, Math.max(targetMs * 1.2, ...all.map((p) => p.p99))));
  const x = (rate: number) => MARGIN.left + (rate / maxRate) * plotW;
  const y = (ms: number) => MARGIN.top + plotH - (Math.min(ms, maxMs) / maxMs) * plotH;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escape(title)}</text>`,
  );
  for (let i = 0; i <= 5; i++) {
    const ms = (maxMs / 5) * i;
    const rate = (maxRate / 5) * i;
    out.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${y(ms)}" y2="${y(ms)}" stroke="#e5e5e5"/>`,
      `<text x="${MARGIN.left - 6}" y="${y(ms) + 4}" text-anchor="end">${fmt(ms)}</text>`,
      `<text x="${x(rate)}" y="${MARGIN.top + plotH + 18}" text-anchor="middle">${fmt(rate)}</text>`,
    );
  }
  out.push(
    `<line x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}" stroke="#333"/>`,
    `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${MARGIN.top + plotH}" y2="${MARGIN.top + plotH}" stroke="#333"/>`,
    `<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 10}" text-anchor="middle">offered load (events/s, all courts)</text>`,
    `<text transform="translate(16 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">console to viewer latency (ms)</text>`,
    `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${y(targetMs)}" y2="${y(targetMs)}" stroke="#000" stroke-dasharray="8,4"/>`,
    `<text x="${MARGIN.left + plotW - 4}" y="${y(targetMs) - 5}" text-anchor="end">p99 target ${targetMs} ms</text>`,
    `<text x="${MARGIN.left + 4}" y="${MARGIN.top - 6}" font-size="10" fill="#555">points above ${fmt(maxMs)} ms are drawn on the top edge</text>`,
  );
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length]!;
    const pts = s.points.filter((p) => Number.isFinite(p.p99)).sort((a, b) => a.rate - b.rate);
    for (const key of percentiles) {
      if (pts.length === 0) continue;
      const path = pts.map((p, j) => `${j ? 'L' : 'M'}${x(p.rate).toFixed(1)},${y(p[key]).toFixed(1)}`).join(' ');
      const dash = DASH[key] ? ` stroke-dasharray="${DASH[key]}"` : '';
      out.push(`<path d="${path}" fill="none" stroke="${color}" stroke-width="${key === 'p99' ? 2.5 : 1.5}"${dash}/>`);
      for (const p of pts)
        out.push(`<circle cx="${x(p.rate).toFixed(1)}" cy="${y(p[key]).toFixed(1)}" r="2.5" fill="${color}"/>`);
    }
    const ly = MARGIN.top + 10 + i * 20;
    out.push(
      `<line x1="${WIDTH - MARGIN.right + 15}" x2="${WIDTH - MARGIN.right + 40}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2.5"/>`,
      `<text x="${WIDTH - MARGIN.right + 46}" y="${ly + 4}">${escape(s.label)}</text>`,
    );
  });
  const ky = MARGIN.top + 20 + series.length * 20;
  (['p99', 'p95', 'p50'] as const)
    .filter((key) => percentiles.includes(key))
    .forEach((key, i) => {
      const dash = DASH[key] ? ` stroke-dasharray="${DASH[key]}"` : '';
      out.push(
        `<line x1="${WIDTH - MARGIN.right + 15}" x2="${WIDTH - MARGIN.right + 40}" y1="${ky + i * 18}" y2="${ky + i * 18}" stroke="#555" stroke-width="1.5"${dash}/>`,
        `<text x="${WIDTH - MARGIN.right + 46}" y="${ky + i * 18 + 4}">${key}</text>`,
      );
    });
  out.push('</svg>');
  return out.join('\n') + '\n';
}

function niceCeil(value: number): number {
  const exp = 10 ** Math.floor(Math.log10(value));
  for (const m of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * exp >= value) return m * exp;
  return 10 * exp;
}

function fmt(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
