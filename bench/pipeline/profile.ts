/**
 * Summary of the V8 CPU profile (`node --cpu-prof`) a server process wrote on exit, its
 * main thread's (the event loop; tsx's loader thread is left out): the entries with the
 * most self time (samples whose top frame is that function), as function, file:line of
 * the function and share of the samples. Optionally only the samples taken inside a
 * wall-clock window (the measured phase), placed from the profile's end, which is the
 * process's exit. Lines of TypeScript modules are mapped back through tsx's transform
 * (source-lines.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { sourceLine } from './source-lines.js';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: CallFrame }>;
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileEntry {
  fn: string;
  /** file:line (relative to the checkout, or from node_modules/), empty for V8's own entries. */
  where: string;
  samples: number;
  /** Share of all samples in the window, percent. */
  percent: number;
  /** Share of the samples the process was not idle, percent. */
  busyPercent: number;
}

export interface ProfileSummary {
  /** Profile files of the main thread counted (one per process). */
  files: number;
  samples: number;
  idlePercent: number;
  /** Whether only the window's samples were counted (false: the whole process lifetime). */
  windowed: boolean;
  top: ProfileEntry[];
}

export interface ProfileWindow {
  from: number;
  to: number;
  /** Wall-clock time the process exited (the profiles end then). */
  exitedAt: number;
}

const SKIP = new Set(['(idle)', '(root)']);

/** CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile: thread 0 is the main thread. */
const isMainThread = (file: string) => file.split('.')[4] === '0';

export async function summariseProfiles(
  dir: string,
  root: string,
  window?: ProfileWindow,
  top = 10,
): Promise<ProfileSummary | null> {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile') && isMainThread(f));
  if (files.length === 0) return null;
  const counts = new Map<string, { fn: string; frame: CallFrame; samples: number }>();
  let total = 0;
  let idle = 0;
  let windowed = Boolean(window);
  const tally = (profiles: CpuProfile[], useWindow: boolean) => {
    counts.clear();
    total = 0;
    idle = 0;
    for (const profile of profiles) {
      const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
      let t = profile.startTime;
      profile.samples.forEach((id, i) => {
        t += profile.timeDeltas[i] ?? 0;
        if (useWindow && window) {
          const wall = window.exitedAt - (profile.endTime - t) / 1000;
          if (wall < window.from || wall > window.to) return;
        }
        const frame = byId.get(id);
        if (!frame) return;
        total++;
        if (frame.functionName === '(idle)') idle++;
        if (SKIP.has(frame.functionName)) return;
        const key = `${frame.functionName}|${frame.url}|${frame.lineNumber}|${frame.columnNumber}`;
        const entry = counts.get(key) ?? { fn: frame.functionName || '(anonymous)', frame, samples: 0 };
        entry.samples++;
        counts.set(key, entry);
      });
    }
  };
  const profiles = files.map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as CpuProfile);
  tally(profiles, windowed);
  // A window that holds almost nothing means the clocks did not line up: count everything.
  if (windowed && total < 100) {
    windowed = false;
    tally(profiles, false);
  }
  const busy = Math.max(1, total - idle);
  const entries: ProfileEntry[] = [];
  for (const e of [...counts.values()].sort((a, b) => b.samples - a.samples).slice(0, top)) {
    const { url, lineNumber, columnNumber } = e.frame;
    const line = (await sourceLine(url, lineNumber, columnNumber)) ?? lineNumber + 1;
    entries.push({
      fn: e.fn,
      where: url ? `${shortUrl(url, root)}:${line}` : '',
      samples: e.samples,
      percent: total ? (e.samples * 100) / total : 0,
      busyPercent: (e.samples * 100) / busy,
    });
  }
  return { files: files.length, samples: total, idlePercent: total ? (idle * 100) / total : 0, windowed, top: entries };
}

function shortUrl(url: string, root: string): string {
  let file = url.startsWith('file://') ? decodeURIComponent(url.slice('file://'.length)) : url;
  const modules = file.lastIndexOf('/node_modules/');
  if (modules >= 0) return file.slice(modules + 1);
  const base = root.endsWith('/') ? root : `${root}/`;
  if (file.startsWith(base)) file = file.slice(base.length);
  return file;
}
