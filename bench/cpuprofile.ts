/**
 * Summarises a V8 .cpuprofile (node --cpu-prof): self time per package (where the time is spent,
 * and which package or code of ours asked for it), the functions with the most self time, and
 * our own functions (services/, libs/, bench/) with the most inclusive time.
 *
 *   pnpm bench:profile -- FILE.cpuprofile [--top 15] [--skip S] [--last S]
 *
 * --skip drops the first S seconds of samples (start-up), --last keeps only the final S seconds
 * (the load window when the process was stopped right after it).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const USAGE = 'Usage: pnpm bench:profile -- FILE.cpuprofile [--top N (default 15)] [--skip S] [--last S]';
const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

/** Where a function lives: "ours: services/logic", "pkg: mysql2", "node: internal", or a V8 pseudo-frame. */
function area(frame: CallFrame): string {
  if (SPECIAL.has(frame.functionName)) return frame.functionName;
  const url = frame.url;
  const pkg = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return `pkg: ${pkg[1]}`;
  const own = /.*\/((?:services|libs)\/[^/]+)\//.exec(url) ?? /\/(bench)\/(?:lib\/)?[^/]+\.ts$/.exec(url);
  if (own) return `ours: ${own[1]}`;
  if (url.startsWith('node:') || url === '') return 'node: internals and native';
  return `other: ${url}`;
}

function label(frame: CallFrame): string {
  if (SPECIAL.has(frame.functionName)) return frame.functionName;
  const file = frame.url
    .replace(/^.*node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?/, '')
    .replace(/^.*\/((?:services|libs)\/)/, '$1')
    .replace(/^.*\/(bench\/(?:lib\/)?[^/]+\.ts)$/, '$1')
    .replace(/^file:\/\//, '');
  // Node's type stripping keeps the TypeScript line numbers, so .ts frames are named by line too.
  const line = `:${frame.lineNumber + 1}`;
  return `${frame.functionName || '(anonymous)'} ${file || '(native)'}${line}`;
}

/** Sample i lasts until sample i+1; the last one gets the mean interval. */
function sampleDurations(p: Profile): number[] {
  const n = p.samples.length;
  const mean = n > 1 ? (p.endTime - p.startTime) / n : 0;
  return p.samples.map((_, i) => (i + 1 < n ? p.timeDeltas[i + 1]! : mean));
}

function summarise(p: Profile, top: number, skipSec: number, lastSec: number): string[] {
  const byId = new Map(p.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of p.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const durations = sampleDurations(p);
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const areas = new Map<string, number>();
  const owners = new Map<string, number>();
  let all = 0;
  let idle = 0;
  let t = p.startTime;
  const from = Math.max(p.startTime + skipSec * 1e6, lastSec > 0 ? p.endTime - lastSec * 1e6 : 0);
  p.samples.forEach((id, i) => {
    t += p.timeDeltas[i]!;
    if (t < from) return;
    const us = durations[i]!;
    const leaf = byId.get(id)!;
    all += us;
    if (leaf.callFrame.functionName === '(idle)') idle += us;
    add(self, label(leaf.callFrame), us);
    add(areas, area(leaf.callFrame), us);
    const onStack = new Set<string>();
    let owner: string | undefined;
    for (let node: ProfileNode | undefined = leaf; node; node = byId.get(parent.get(node.id) ?? -1)) {
      const where = area(node.callFrame);
      if (owner === undefined && (where.startsWith('ours:') || where.startsWith('pkg:'))) owner = where;
      if (where.startsWith('ours:')) onStack.add(label(node.callFrame));
    }
    add(owners, owner ?? area(leaf.callFrame), us);
    for (const key of onStack) add(total, key, us);
  });
  const busy = all - idle;
  const ms = (us: number) => (us / 1000).toFixed(0).padStart(7);
  const pct = (us: number) => `${((us / busy) * 100).toFixed(1).padStart(5)}%`;
  const rows = (m: Map<string, number>, exclude = new Set<string>()) =>
    [...m].filter(([k]) => !exclude.has(k)).sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, us]) => `  ${ms(us)} ms ${pct(us)}  ${k}`);
  return [
    `window ${(all / 1e6).toFixed(1)} s, busy ${(busy / 1e6).toFixed(1)} s (${((busy / all) * 100).toFixed(0)}% of one core); percentages are of busy time`,
    `self time by area:`,
    ...rows(areas, new Set(['(idle)'])),
    `self time by owner (Node internals charged to the nearest package or our code that called them):`,
    ...rows(owners, new Set(['(idle)'])),
    `top ${top} functions by self time:`,
    ...rows(self, new Set(['(idle)'])),
    `top ${top} of our functions by inclusive time:`,
    ...rows(total),
  ];
}

function add(m: Map<string, number>, key: string, us: number): void {
  m.set(key, (m.get(key) ?? 0) + us);
}

const { values, positionals } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: { top: { type: 'string' }, skip: { type: 'string' }, last: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  allowPositionals: true,
});
if (values.help || positionals.length === 0) {
  console.log(USAGE);
} else {
  for (const file of positionals) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
    console.log(`== ${file}`);
    console.log(summarise(profile, Number(values.top ?? 15), Number(values.skip ?? 0), Number(values.last ?? 0)).join('\n'));
  }
}
