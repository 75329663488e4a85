// Summarises a .cpuprofile written by `BENCH_CPU_PROF=dir npm run bench` (node --cpu-prof): where the server's
// time went, by file and by function (self time), and the inclusive share of the functions a pattern names.
// Usage: node --import tsx bench/profile-summary.ts <file.cpuprofile> [regex of functions to focus on] [top N]
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

const sourceMaps = new Map<string, SourceMap | undefined>();

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, focus, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node --import tsx bench/profile-summary.ts <file.cpuprofile> [focus regex] [top N]');
  process.exit(2);
}
const top = Number(topArg ?? 30);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
for (const node of profile.nodes) toOriginalSource(node.callFrame);
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parentOf = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);

const cwd = `file://${process.cwd()}/`;
const shortUrl = (url: string) => url.replace(/^.*node_modules\//, '').replace(cwd, '');
const functionKey = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${shortUrl(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
const fileKey = (n: ProfileNode) => {
  const url = n.callFrame.url;
  if (!url) return n.callFrame.functionName;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  return pkg ? `package ${pkg[1]}` : shortUrl(url);
};

const timeOf = new Map<number, number>();
profile.samples.forEach((id, i) => timeOf.set(id, (timeOf.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const add = (map: Map<string, number>, key: string, t: number) => map.set(key, (map.get(key) ?? 0) + t);
const selfByFile = new Map<string, number>();
const selfByFunction = new Map<string, number>();
const inclusive = new Map<string, number>();
let total = 0;
for (const [id, t] of timeOf) {
  const node = byId.get(id)!;
  total += t;
  add(selfByFile, fileKey(node), t);
  add(selfByFunction, functionKey(node), t);
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
    const key = functionKey(byId.get(at)!);
    if (!seen.has(key)) add(inclusive, key, t);
    seen.add(key);
  }
}
// The server idles while the ceilings are measured; shares are of the time it was busy.
const busy = total - (selfByFunction.get('(idle) :0') ?? 0);
const pct = (t: number) => `${((100 * t) / busy).toFixed(1).padStart(5)}%`;
const print = (title: string, map: Map<string, number>, filter: (key: string) => boolean = () => true) => {
  console.log(`\n${title}`);
  for (const [key, t] of [...map].filter(([k]) => k !== '(idle) :0' && k !== '(idle)' && filter(k)).sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(pct(t), key);
  }
};
console.log(`busy ${(busy / 1000).toFixed(0)} ms of ${(total / 1000).toFixed(0)} ms profiled`);
print('self time by file', selfByFile);
print('self time by function', selfByFunction);
if (focus) print(`inclusive time of functions matching /${focus}/`, inclusive, (key) => new RegExp(focus).test(key));

/**
 * The server runs bundled (dist/bundle/, scripts/bundle.js): a frame in a bundle's chunk is put back where its code came
 * from, a file of src/ or of a package, through the chunk's source map.
 */
function toOriginalSource(frame: CallFrame): void {
  const map = sourceMapOf(frame.url);
  const entry = map?.findEntry(frame.lineNumber, frame.columnNumber) as { originalSource?: string; originalLine?: number } | undefined;
  if (!entry?.originalSource) return;
  frame.url = new URL(entry.originalSource, frame.url).href;
  frame.lineNumber = entry.originalLine ?? frame.lineNumber;
}

function sourceMapOf(url: string): SourceMap | undefined {
  if (!url.startsWith('file://')) return undefined;
  if (!sourceMaps.has(url)) {
    const file = `${fileURLToPath(url)}.map`;
    sourceMaps.set(url, existsSync(file) ? new SourceMap(JSON.parse(readFileSync(file, 'utf8'))) : undefined);
  }
  return sourceMaps.get(url);
}
