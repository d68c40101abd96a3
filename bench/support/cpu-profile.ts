import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { ROOT } from './run-info';
import { round } from './stats';

/** The parts of a V8 .cpuprofile this summary reads. */
interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
    children?: number[];
  }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTimeRow {
  function: string;
  where: string;
  /** Package, node internals, the app's own module, or a V8 pseudo-node. */
  category: string;
  selfMs: number;
  selfPct: number;
}

export interface ProfileSummary {
  file: string;
  durationMs: number;
  samples: number;
  /** Share of the profile the thread was not idle. */
  busyPct: number;
  topFunctions: SelfTimeRow[];
  byCategory: { category: string; selfMs: number; selfPct: number }[];
  /** The app's own functions (dist/src) by inclusive time: where a request's time goes, top down. */
  appInclusive: { function: string; where: string; totalMs: number; totalPct: number }[];
}

/** Top self-time functions and self time per package/module of a .cpuprofile file. */
export function summarizeCpuProfile(file: string, top = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  // A sample's time is the gap to the next one (how DevTools counts self time).
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i + 1] ?? 0;
    const id = profile.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, dt));
  }
  const total = profile.endTime - profile.startTime;
  const byFunction = new Map<string, SelfTimeRow & { us: number }>();
  const byCategory = new Map<string, number>();
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const frame = nodes.get(id)!.callFrame;
    const category = categoryOf(frame.url, frame.functionName);
    if (frame.functionName === '(idle)') idleUs += us;
    const where = frame.url ? `${shortUrl(frame.url)}:${frame.lineNumber + 1}` : '';
    const name = frame.functionName || '(anonymous)';
    const key = `${name}@${where}`;
    const row = byFunction.get(key) ?? {
      function: name,
      where,
      category,
      selfMs: 0,
      selfPct: 0,
      us: 0,
    };
    row.us += us;
    byFunction.set(key, row);
    byCategory.set(category, (byCategory.get(category) ?? 0) + us);
  }
  const pct = (us: number) => round((100 * us) / Math.max(1, total), 1);
  const appInclusive = inclusiveAppTime(profile, nodes, selfUs);
  return {
    file,
    durationMs: round(total / 1000, 0),
    samples: profile.samples.length,
    busyPct: round(100 - (100 * idleUs) / Math.max(1, total), 1),
    topFunctions: [...byFunction.values()]
      .filter((r) => r.function !== '(idle)')
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map(({ us, ...r }) => ({ ...r, selfMs: round(us / 1000, 1), selfPct: pct(us) })),
    byCategory: [...byCategory.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([category, us]) => ({ category, selfMs: round(us / 1000, 1), selfPct: pct(us) })),
    appInclusive: [...appInclusive.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map(({ us, ...r }) => ({ ...r, totalMs: round(us / 1000, 1), totalPct: pct(us) })),
  };
}

/** Inclusive time of every app function (each sample counted once per function on its stack). */
function inclusiveAppTime(
  profile: CpuProfile,
  nodes: Map<number, CpuProfile['nodes'][number]>,
  selfUs: Map<number, number>,
): Map<string, { function: string; where: string; us: number }> {
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const out = new Map<string, { function: string; where: string; us: number }>();
  for (const [id, us] of selfUs) {
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = nodes.get(cur)!.callFrame;
      if (!/\/dist\/src\//.test(frame.url)) continue;
      const where = `${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
      const name = frame.functionName || '(anonymous)';
      const key = `${name}@${where}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const row = out.get(key) ?? { function: name, where, us: 0 };
      row.us += us;
      out.set(key, row);
    }
  }
  return out;
}

function shortUrl(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('node_modules/');
  if (nm >= 0) return path.slice(nm + 'node_modules/'.length);
  // The app may run from another checkout (BENCH_APP_ROOT): name it from dist/ on.
  const dist = path.lastIndexOf('/dist/src/');
  if (dist >= 0) return path.slice(dist + 1);
  return path.startsWith('/') ? relative(ROOT, path) : path;
}

function categoryOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native/V8)';
  if (url.startsWith('node:')) return 'node internals';
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const parts = path.slice(nm + 'node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const m = /\/dist\/src\/([^/]+)/.exec(path);
  return m ? `app: ${m[1]!.replace(/\.js$/, '')}` : relative(ROOT, path);
}
