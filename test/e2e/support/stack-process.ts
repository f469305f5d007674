import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
// A fresh clone packages the service first; on two busy cores that takes
// a while, but never this long.
const READY_WITHIN_MS = 120_000;
const STOPPED_WITHIN_MS = 20_000;

/** How a process ended: its exit code, or the signal that ended it. */
export interface ProcessEnd {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Where the stack listens, read from what it prints. */
export interface StackEndpoints {
  viewerUrl: string;
  pushManagerAddress: string;
  s3Endpoint: string;
  bucket: string;
}

/** `npm start` in its own process group, as a person runs it. */
export interface StackProcess extends StackEndpoints {
  /** Every line it printed so far, stdout and stderr. */
  readonly lines: string[];
  /**
   * Ctrl-C to the whole group, as a terminal sends it; resolves how npm
   * ended once every process of the group has closed its output.
   */
  interrupt(): Promise<ProcessEnd>;
}

function endpointsIn(lines: string[]): StackEndpoints | undefined {
  const text = lines.join('\n');
  const viewer = text.match(/^ {2}viewer +(http:\/\/\S+?\/)\?/m)?.[1];
  const pushManager = text.match(/^ {2}Push-Manager +(\S+) \(gRPC\)/m)?.[1];
  const s3 = text.match(/^ {2}S3 +(http:\/\/\S+) bucket (\S+)/m);
  if (!viewer || !pushManager || !s3?.[1] || !s3[2]) return undefined;
  return {
    viewerUrl: viewer,
    pushManagerAddress: pushManager,
    s3Endpoint: s3[1],
    bucket: s3[2],
  };
}

function collectLines(child: ChildProcess, lines: string[]) {
  for (const stream of [child.stdout, child.stderr]) {
    if (stream)
      createInterface({ input: stream }).on('line', (l) => lines.push(l));
  }
}

/** Runs `npm start -- <args>` and waits until it prints its endpoints. */
export async function startStackProcess(args: string[]): Promise<StackProcess> {
  const child = spawn('npm', ['start', '--', ...args], {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  const lines: string[] = [];
  collectLines(child, lines);
  // `close` waits for the stack under npm too: it shares npm's output.
  const closed = once(child, 'close').then(
    ([code, signal]) => ({ code, signal }) as ProcessEnd,
  );

  const startedAt = Date.now();
  let endpoints = endpointsIn(lines);
  while (!endpoints) {
    const ended = await Promise.race([
      closed,
      new Promise((resolve) => setTimeout(resolve, 100, 'waiting')),
    ]);
    if (ended !== 'waiting' || Date.now() - startedAt > READY_WITHIN_MS) {
      if (ended === 'waiting') process.kill(-(child.pid as number), 'SIGKILL');
      throw new Error(`npm start did not come up:\n${lines.join('\n')}`);
    }
    endpoints = endpointsIn(lines);
  }

  let interrupted: Promise<ProcessEnd> | undefined;
  const interrupt = async () => {
    process.kill(-(child.pid as number), 'SIGINT');
    const timer = setTimeout(
      () => process.kill(-(child.pid as number), 'SIGKILL'),
      STOPPED_WITHIN_MS,
    );
    const end = await closed;
    clearTimeout(timer);
    return end;
  };
  return {
    ...endpoints,
    lines,
    interrupt: () => {
      interrupted ??= interrupt();
      return interrupted;
    },
  };
}

/** Runs `npm start -- <args>` expecting it to fail; resolves code and output. */
export async function failingStackProcess(args: string[]) {
  const child = spawn('npm', ['start', '--', ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  const lines: string[] = [];
  collectLines(child, lines);
  const [code] = await once(child, 'exit');
  return { code: code as number | null, lines };
}
