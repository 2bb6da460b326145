/**
 * Start-up of a child process under test (the server, NodeCG): keeps its last output lines
 * for error messages and resolves once a line shows it is ready; rejects when it exits or
 * takes too long first. Output keeps being kept after that (for a later failure).
 */
import type { ChildProcess } from 'node:child_process';

export interface ReadyOptions<Exit> {
  /** Filled with the child's output lines, newest last, at most `keep`. */
  logs: string[];
  keep: number;
  /** Text in an output line that means ready. */
  marker: string;
  timeoutMs: number;
  timeoutError: () => Error;
  exitError: (exit: Exit) => Error;
}

export function readyOnLine<Exit>(
  child: ChildProcess,
  exited: Promise<Exit>,
  options: ReadyOptions<Exit>,
): Promise<void> {
  const { logs, keep, marker } = options;
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(options.timeoutError()), options.timeoutMs);
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        if (!line) continue;
        logs.push(line);
        if (logs.length > keep) logs.shift();
        if (line.includes(marker)) {
          clearTimeout(timer);
          resolve();
        }
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((exit) => {
      clearTimeout(timer);
      reject(options.exitError(exit));
    });
  });
}
