import { h } from '../shared/dom.ts';
import type { Totals } from './cluster.ts';

interface Series {
  title: string;
  /** A gauge is charted as it is; a counter as its rate per second between two snapshots. */
  read: (now: Totals, before: Totals | undefined, seconds: number) => number | undefined;
}

const rate = (name: keyof Totals) => (now: Totals, before: Totals | undefined, seconds: number) =>
  // A process that restarted starts its counters again: a negative difference is no rate.
  before && seconds > 0 ? Math.max(0, (now[name] - before[name]) / seconds) : undefined;
const gauge = (name: keyof Totals) => (now: Totals) => now[name];

const SERIES: Record<string, Series> = {
  connections: { title: 'Connections', read: gauge('connections') },
  pushes: { title: 'Pushes/s', read: rate('pushes') },
  deliveries: { title: 'Deliveries/s', read: rate('deliveries') },
  drops: { title: 'Dropped frames/s', read: rate('drops') },
  slowCloses: { title: 'Slow-consumer closes/s', read: rate('slowCloses') },
  chatSends: { title: 'Chat sends/s', read: rate('chatSends') },
  chatAcks: { title: 'Chat acks/s', read: rate('chatAcks') },
  lag: { title: 'Kafka consumer lag', read: gauge('lag') },
};

/** Points kept per chart: five minutes at one snapshot every two seconds. */
const KEEP = 150;
const W = 300;
const H = 80;

function format(value: number): string {
  return value >= 100 || Number.isInteger(value) ? Math.round(value).toLocaleString('en') : value.toFixed(1);
}

/** Small line charts (SVG, no library) of the totals over the last minutes. */
export class Charts {
  readonly #points = new Map<string, number[]>();
  readonly #lines = new Map<string, { line: SVGPolylineElement; now: HTMLElement; max: HTMLElement; svg: SVGSVGElement }>();
  #before?: { at: number; totals: Totals };

  constructor(container: HTMLElement) {
    for (const [name, series] of Object.entries(SERIES)) {
      const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
      svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
      svg.setAttribute('preserveAspectRatio', 'none');
      svg.setAttribute('role', 'img');
      const line = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
      svg.append(line);
      const now = h('strong', { 'data-series': name }, '–');
      const max = h('span', { class: 'muted' });
      container.append(h('figure', {}, h('figcaption', {}, h('span', {}, `${series.title} `, max), now), svg));
      this.#lines.set(name, { line, now, max, svg });
      this.#points.set(name, []);
    }
  }

  add(at: number, totals: Totals): void {
    const seconds = this.#before ? (at - this.#before.at) / 1000 : 0;
    for (const [name, series] of Object.entries(SERIES)) {
      const value = series.read(totals, this.#before?.totals, seconds);
      if (value === undefined) continue;
      const points = this.#points.get(name)!;
      points.push(value);
      if (points.length > KEEP) points.shift();
      this.#draw(name, series.title, points);
    }
    this.#before = { at, totals };
  }

  #draw(name: string, title: string, points: number[]): void {
    const { line, now, max, svg } = this.#lines.get(name)!;
    const highest = Math.max(...points);
    const top = Math.max(1, highest);
    const step = W / (KEEP - 1);
    const offset = (KEEP - points.length) * step;
    line.setAttribute('points', points.map((v, i) => `${(offset + i * step).toFixed(1)},${(H - (v / top) * (H - 4) - 2).toFixed(1)}`).join(' '));
    const last = points.at(-1) ?? 0;
    now.textContent = format(last);
    max.textContent = `(max ${format(highest)})`;
    svg.setAttribute('aria-label', `${title}: now ${format(last)}, highest ${format(highest)} over the last ${points.length} samples`);
  }
}
