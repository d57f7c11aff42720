/**
 * Hand-written SVG charts for the calibration report: line charts and grouped histograms, no
 * dependency. Numbers are printed with fixed decimals so equal data gives an equal file.
 */

export interface LineSeries {
  name: string;
  /** [x, y] points; y null leaves a gap. */
  points: readonly (readonly [number, number | null])[];
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly LineSeries[];
  /** y axis upper bound; default: the largest y (at least 1e-9). */
  yMax?: number;
  /** Vertical marker, e.g. the recommended threshold. */
  marker?: { x: number; label: string };
}

export interface HistogramOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  bins: readonly { from: number; to: number }[];
  series: readonly { name: string; counts: readonly number[] }[];
}

const W = 720;
const H = 420;
const M = { left: 64, right: 24, top: 40, bottom: 80 };
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e'];
const PLOT_W = W - M.left - M.right;
const PLOT_H = H - M.top - M.bottom;

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

const f = (n: number) => n.toFixed(2);

export function lineChart(o: LineChartOptions): string {
  const xs = o.series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = o.series.flatMap((s) => s.points.flatMap((p) => (p[1] === null ? [] : [p[1]])));
  const xMin = xs.length ? Math.min(...xs) : 0;
  const xMax = xs.length ? Math.max(...xs) : 1;
  const yMax = o.yMax ?? Math.max(1e-9, ...ys);
  const x = (v: number) => M.left + ((v - xMin) / (xMax - xMin || 1)) * PLOT_W;
  const y = (v: number) => M.top + PLOT_H - (v / yMax) * PLOT_H;
  const parts = [frame(o.title, o.xLabel, o.yLabel)];
  parts.push(...ticks(xMin, xMax, x, 'x'), ...ticks(0, yMax, y, 'y'));
  o.series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    // A null y splits the line into separate runs rather than drawing through the gap.
    let run: string[] = [];
    const flush = () => {
      if (run.length > 1) parts.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${run.join(' ')}"/>`);
      else if (run.length === 1) {
        const [cx, cy] = run[0].split(',');
        parts.push(`<circle cx="${cx}" cy="${cy}" r="2.5" fill="${color}"/>`);
      }
      run = [];
    };
    for (const [px, py] of s.points) {
      if (py === null) flush();
      else run.push(`${f(x(px))},${f(y(py))}`);
    }
    flush();
  });
  if (o.marker) {
    const mx = f(x(o.marker.x));
    parts.push(
      `<line x1="${mx}" y1="${M.top}" x2="${mx}" y2="${M.top + PLOT_H}" stroke="#555" stroke-dasharray="4 3"/>`,
      `<text x="${mx}" y="${M.top - 6}" font-size="11" text-anchor="middle" fill="#333">${escapeXml(o.marker.label)}</text>`,
    );
  }
  parts.push(legend(o.series.map((s) => s.name)));
  return wrap(parts);
}

export function histogramChart(o: HistogramOptions): string {
  const n = o.bins.length;
  const yMax = Math.max(1, ...o.series.flatMap((s) => s.counts));
  const xMin = n ? o.bins[0].from : 0;
  const xMax = n ? o.bins[n - 1].to : 1;
  const x = (v: number) => M.left + ((v - xMin) / (xMax - xMin || 1)) * PLOT_W;
  const y = (v: number) => M.top + PLOT_H - (v / yMax) * PLOT_H;
  const parts = [frame(o.title, o.xLabel, o.yLabel), ...ticks(xMin, xMax, x, 'x'), ...ticks(0, yMax, y, 'y', true)];
  const groups = Math.max(1, o.series.length);
  o.bins.forEach((bin, b) => {
    const left = x(bin.from);
    const width = (x(bin.to) - left) / groups;
    o.series.forEach((s, i) => {
      const count = s.counts[b] ?? 0;
      if (count === 0) return;
      const top = y(count);
      parts.push(
        `<rect x="${f(left + i * width + 0.5)}" y="${f(top)}" width="${f(Math.max(0.5, width - 1))}" height="${f(M.top + PLOT_H - top)}" fill="${COLORS[i % COLORS.length]}" fill-opacity="0.8"><title>${escapeXml(`${s.name} ${bin.from.toFixed(2)}–${bin.to.toFixed(2)}: ${count}`)}</title></rect>`,
      );
    });
  });
  parts.push(legend(o.series.map((s) => s.name)));
  return wrap(parts);
}

function wrap(parts: string[]): string {
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif">`,
    `<rect x="0" y="0" width="${W}" height="${H}" fill="#ffffff"/>`,
    ...parts,
    `</svg>`,
    '',
  ].join('\n');
}

function frame(title: string, xLabel: string, yLabel: string): string {
  return [
    `<text x="${W / 2}" y="22" font-size="15" text-anchor="middle" font-weight="bold">${escapeXml(title)}</text>`,
    `<rect x="${M.left}" y="${M.top}" width="${PLOT_W}" height="${PLOT_H}" fill="none" stroke="#333"/>`,
    `<text x="${M.left + PLOT_W / 2}" y="${H - 44}" font-size="12" text-anchor="middle">${escapeXml(xLabel)}</text>`,
    `<text x="16" y="${M.top + PLOT_H / 2}" font-size="12" text-anchor="middle" transform="rotate(-90 16 ${M.top + PLOT_H / 2})">${escapeXml(yLabel)}</text>`,
  ].join('\n');
}

/** About six round-numbered ticks with grid lines between lo and hi. */
function ticks(lo: number, hi: number, at: (v: number) => number, axis: 'x' | 'y', integers = false): string[] {
  const span = hi - lo || 1;
  const raw = span / 6;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  let step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  if (integers) step = Math.max(1, Math.round(step));
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9)) + (step / magnitude === 2.5 ? 1 : 0);
  const out: string[] = [];
  for (let i = Math.ceil(lo / step - 1e-9); i * step <= hi + 1e-9; i++) {
    const v = i * step;
    const p = f(at(v));
    const label = escapeXml(v.toFixed(integers ? 0 : decimals));
    if (axis === 'x') {
      out.push(`<line x1="${p}" y1="${M.top}" x2="${p}" y2="${M.top + PLOT_H}" stroke="#e5e5e5"/>`);
      out.push(`<text x="${p}" y="${M.top + PLOT_H + 16}" font-size="11" text-anchor="middle">${label}</text>`);
    } else {
      out.push(`<line x1="${M.left}" y1="${p}" x2="${M.left + PLOT_W}" y2="${p}" stroke="#e5e5e5"/>`);
      out.push(`<text x="${M.left - 6}" y="${p}" font-size="11" text-anchor="end" dominant-baseline="middle">${label}</text>`);
    }
  }
  return out;
}

function legend(names: readonly string[]): string {
  return names
    .map((name, i) => {
      const lx = M.left + i * 170;
      const ly = H - 18;
      return `<rect x="${lx}" y="${ly - 9}" width="14" height="10" fill="${COLORS[i % COLORS.length]}"/><text x="${lx + 20}" y="${ly}" font-size="12">${escapeXml(name)}</text>`;
    })
    .join('\n');
}
