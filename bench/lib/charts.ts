import type { Histogram } from 'hdr-histogram-js';
import type { TimelinePoint } from './report.ts';

/**
 * Two hand-written SVG panels for a fan-out run: deliveries per second over time (from the
 * one-second progress points) and the latency distribution as a CDF with a logarithmic latency
 * axis. No dependency: a few paths and labels, small enough to commit.
 */

const W = 420;
const H = 260;
const PAD = { left: 62, right: 14, top: 30, bottom: 42 };
const PLOT_W = W - PAD.left - PAD.right;
const PLOT_H = H - PAD.top - PAD.bottom;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const fmt = (x: number) => (x >= 1e6 ? `${+(x / 1e6).toFixed(1)}M` : x >= 1e3 ? `${+(x / 1e3).toFixed(1)}k` : `${+x.toFixed(1)}`);

/** A round upper bound for an axis: 1, 2 or 5 times a power of ten. */
function niceMax(x: number): number {
  if (x <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  return ([1, 2, 5, 10].find((m) => m * p >= x) ?? 10) * p;
}

function frame(x0: number, title: string, xLabel: string, yLabel: string, body: string[]): string {
  const x = x0 + PAD.left;
  const y = PAD.top;
  return [
    `<g>`,
    `<text x="${x0 + W / 2}" y="18" text-anchor="middle" font-weight="bold">${esc(title)}</text>`,
    `<rect x="${x}" y="${y}" width="${PLOT_W}" height="${PLOT_H}" fill="none" stroke="#888"/>`,
    ...body,
    `<text x="${x + PLOT_W / 2}" y="${H - 6}" text-anchor="middle">${esc(xLabel)}</text>`,
    `<text transform="translate(${x0 + 12},${y + PLOT_H / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>`,
    `</g>`,
  ].join('\n');
}

function ratePanel(x0: number, timeline: TimelinePoint[]): string {
  const tMax = Math.max(1, ...timeline.map((p) => p.t));
  const yMax = niceMax(Math.max(0, ...timeline.map((p) => p.deliveriesPerSec)));
  const px = (t: number) => x0 + PAD.left + (t / tMax) * PLOT_W;
  const py = (v: number) => PAD.top + PLOT_H - (v / yMax) * PLOT_H;
  const path = timeline.map((p, i) => `${i ? 'L' : 'M'}${px(p.t).toFixed(1)},${py(p.deliveriesPerSec).toFixed(1)}`).join('');
  const ticks: string[] = [];
  for (let i = 0; i <= 4; i++) {
    const v = (yMax * i) / 4;
    ticks.push(`<text x="${x0 + PAD.left - 4}" y="${py(v) + 4}" text-anchor="end">${fmt(v)}</text>`);
    ticks.push(`<line x1="${x0 + PAD.left}" x2="${x0 + PAD.left + PLOT_W}" y1="${py(v)}" y2="${py(v)}" stroke="#ddd"/>`);
    const t = Math.round((tMax * i) / 4);
    ticks.push(`<text x="${px(t)}" y="${PAD.top + PLOT_H + 14}" text-anchor="middle">${t}</text>`);
  }
  return frame(x0, 'deliveries per second', 'seconds since the first push', 'deliveries/s', [...ticks, `<path d="${path}" fill="none" stroke="#1f77b4" stroke-width="1.5"/>`]);
}

/** Latency in ms at fractions 0..1 of the deliveries, from the histogram (microseconds). */
function cdfPoints(h: Histogram): [number, number][] {
  const points: [number, number][] = [];
  for (let i = 0; i <= 200; i++) {
    // Denser towards the tail: 0..99.99 %.
    const q = 100 * (1 - 10 ** (-4 * (i / 200)));
    points.push([h.getValueAtPercentile(q) / 1000, q / 100]);
  }
  return points;
}

function cdfPanel(x0: number, h: Histogram | null): string {
  if (!h || h.totalCount === 0) return frame(x0, 'latency CDF', 'latency (ms, log)', 'fraction of deliveries', []);
  const points = cdfPoints(h);
  const lo = Math.max(0.1, 10 ** Math.floor(Math.log10(Math.max(0.1, points[0]![0]))));
  const hi = 10 ** Math.ceil(Math.log10(Math.max(lo * 10, h.maxValue / 1000)));
  const px = (ms: number) => x0 + PAD.left + ((Math.log10(Math.max(lo, ms)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * PLOT_W;
  const py = (f: number) => PAD.top + PLOT_H - f * PLOT_H;
  const path = points.map(([ms, f], i) => `${i ? 'L' : 'M'}${px(ms).toFixed(1)},${py(f).toFixed(1)}`).join('');
  const ticks: string[] = [];
  for (let d = lo; d <= hi * 1.001; d *= 10) {
    ticks.push(`<text x="${px(d)}" y="${PAD.top + PLOT_H + 14}" text-anchor="middle">${fmt(d)}</text>`);
    ticks.push(`<line x1="${px(d)}" x2="${px(d)}" y1="${PAD.top}" y2="${PAD.top + PLOT_H}" stroke="#ddd"/>`);
  }
  for (const f of [0, 0.5, 0.9, 0.99, 1]) {
    ticks.push(`<text x="${x0 + PAD.left - 4}" y="${py(f) + 4}" text-anchor="end">${f}</text>`);
    ticks.push(`<line x1="${x0 + PAD.left}" x2="${x0 + PAD.left + PLOT_W}" y1="${py(f)}" y2="${py(f)}" stroke="#ddd"/>`);
  }
  const p = (q: number) => h.getValueAtPercentile(q) / 1000;
  const note = `p50 ${fmt(p(50))} ms, p99 ${fmt(p(99))} ms`;
  return frame(x0, 'latency CDF', 'latency (ms, log scale)', 'fraction of deliveries', [
    ...ticks,
    `<path d="${path}" fill="none" stroke="#d62728" stroke-width="1.5"/>`,
    `<text x="${x0 + PAD.left + 6}" y="${PAD.top + 14}">${esc(note)}</text>`,
  ]);
}

/** The two panels side by side with a caption line (the run's command and load). */
export function fanoutChart(caption: string, timeline: TimelinePoint[], latency: Histogram | null): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${2 * W}" height="${H + 22}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    ratePanel(0, timeline),
    cdfPanel(W, latency),
    `<text x="8" y="${H + 16}" fill="#444">${esc(caption)}</text>`,
    `</svg>`,
    '',
  ].join('\n');
}
