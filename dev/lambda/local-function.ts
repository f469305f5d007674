import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { repoRoot } from '../repo-root.js';
import type { StackLog } from '../terminal-log.js';
import { readableLine } from './function-log-line.js';

// Time a stopping environment gets before it is killed.
const STOP_GRACE_MS = 2000;
const WORKER_FILE = join('dev', 'lambda', 'lambda-worker.cjs');

/** What the stack knows of one function, from the packaged service. */
export interface FunctionDefinition {
  /** The key under `functions:` in serverless.yml, such as `audioUpload`. */
  readonly key: string;
  /** The deployed name, `{service}-{stage}-{key}`. */
  readonly name: string;
  /** The built module, unpacked from the function's artifact. */
  readonly handlerFile: string;
  readonly exportName: string;
  readonly timeoutSeconds: number;
  readonly memorySizeMb: number;
  readonly region: string;
  /** Provider and function `environment`, as deployed. */
  readonly environment: Record<string, string>;
}

/** What one invocation came to, as Lambda would report it. */
export type InvocationResult =
  | { ok: true; requestId: string; durationMs: number; result: unknown }
  | {
      ok: false;
      requestId: string;
      durationMs: number;
      errorType: string;
      errorMessage: string;
    };

interface WorkerError {
  errorType: string;
  errorMessage: string;
  stack?: string;
}

type InvocationReply =
  | { kind: 'result'; id: string; result: unknown }
  | { kind: 'error'; id: string | undefined; error: WorkerError };

type WorkerReply =
  | { kind: 'ready'; initMs: number }
  | { kind: 'init-failed'; error: WorkerError }
  | InvocationReply;

const ACCOUNT_ID = '000000000000';

const STOPPED: InvocationResult = {
  ok: false,
  requestId: '',
  durationMs: 0,
  errorType: 'Stack.Stopped',
  errorMessage: 'the local stack is stopping',
};

/** An X-Ray trace header, as Lambda sets `_X_AMZN_TRACE_ID` per invocation. */
function traceHeader(now: number): string {
  const epochHex = Math.floor(now / 1000).toString(16);
  const root = `1-${epochHex}-${randomBytes(12).toString('hex')}`;
  return `Root=${root};Parent=${randomBytes(8).toString('hex')};Sampled=1`;
}

function logStreamName(now: Date): string {
  const day = now.toISOString().slice(0, 10).replaceAll('-', '/');
  return `${day}/[$LATEST]${randomBytes(16).toString('hex')}`;
}

/**
 * One function run as Lambda runs it: its own Node process (execution
 * environment) with the deployed environment variables, started on the
 * first event, one invocation at a time, stopped when it runs out of time.
 */
export class LocalFunction {
  readonly definition: FunctionDefinition;
  readonly #log: StackLog;
  #worker: ChildProcess | undefined;
  #stopped = false;
  #ready: Promise<void> | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #pending:
    | { id: string; settle: (reply: InvocationReply) => void }
    | undefined;

  constructor(definition: FunctionDefinition, log: StackLog) {
    this.definition = definition;
    this.#log = log;
  }

  /** The function's ARN, unqualified. */
  get arn(): string {
    const { region, name } = this.definition;
    return `arn:aws:lambda:${region}:${ACCOUNT_ID}:function:${name}`;
  }

  /**
   * Runs the handler on `event` after the invocations queued before it.
   * `summary` names the event in the terminal.
   */
  invoke(event: unknown, summary: string): Promise<InvocationResult> {
    if (this.#stopped) return Promise.resolve(STOPPED);
    const run = this.#queue.then(() => this.#invokeNow(event, summary));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** True once the stack has stopped the function for good. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** Ends the execution environment for good: later events are refused. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#endEnvironment();
  }

  /** Ends the execution environment; the next event starts a fresh one. */
  async #endEnvironment(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    this.#ready = undefined;
    if (!worker || worker.exitCode !== null) return;

    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.kill('SIGTERM');
    const timer = setTimeout(() => worker.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  }

  async #invokeNow(event: unknown, summary: string): Promise<InvocationResult> {
    const { key, timeoutSeconds } = this.definition;
    const requestId = randomUUID();
    try {
      await this.#start();
    } catch (error) {
      // Lambda fails the invocation and tries a fresh environment next time.
      await this.#endEnvironment();
      const errorMessage = (error as Error).message;
      this.#log.error(key, `${summary}: ${errorMessage}`);
      return {
        ok: false,
        requestId,
        durationMs: 0,
        errorType: 'Runtime.InitError',
        errorMessage,
      };
    }

    const startedAt = Date.now();
    const reply = await this.#send(requestId, event, startedAt);
    const durationMs = Date.now() - startedAt;

    if (reply === 'timeout') {
      this.#log.error(
        key,
        `${summary}: Task timed out after ${timeoutSeconds} seconds`,
      );
      await this.#endEnvironment();
      return {
        ok: false,
        requestId,
        durationMs,
        errorType: 'Sandbox.Timedout',
        errorMessage: `Task timed out after ${timeoutSeconds} seconds`,
      };
    }
    if (reply.kind === 'error') {
      const { errorType, errorMessage } = reply.error;
      this.#log.error(
        key,
        `${summary}: failed in ${durationMs} ms: ${errorType}: ${errorMessage}`,
      );
      return { ok: false, requestId, durationMs, errorType, errorMessage };
    }

    this.#log.info(key, `${summary}: done in ${durationMs} ms`);
    return { ok: true, requestId, durationMs, result: reply.result };
  }

  #send(
    requestId: string,
    event: unknown,
    startedAt: number,
  ): Promise<InvocationReply | 'timeout'> {
    const { definition } = this;
    const timeoutMs = definition.timeoutSeconds * 1000;
    const worker = this.#worker as ChildProcess;

    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#pending = undefined;
        resolve('timeout');
      }, timeoutMs);
      this.#pending = {
        id: requestId,
        settle: (reply) => {
          clearTimeout(timer);
          this.#pending = undefined;
          resolve(reply);
        },
      };
      worker.send({
        kind: 'invoke',
        id: requestId,
        event,
        traceHeader: traceHeader(startedAt),
        deadlineEpochMs: startedAt + timeoutMs,
        context: {
          awsRequestId: requestId,
          functionName: definition.name,
          functionVersion: '$LATEST',
          invokedFunctionArn: this.arn,
          memoryLimitInMB: String(definition.memorySizeMb),
          logGroupName: `/aws/lambda/${definition.name}`,
          logStreamName: logStreamName(new Date(startedAt)),
        },
      });
    });
  }

  #start(): Promise<void> {
    if (this.#ready && this.#worker?.exitCode === null) return this.#ready;

    const { definition } = this;
    const worker = fork(join(repoRoot(), WORKER_FILE), [], {
      env: this.#lambdaEnvironment(),
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      execArgv: [],
    });
    this.#worker = worker;
    for (const stream of [worker.stdout, worker.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on('line', (line) => {
        const readable = readableLine(line);
        this.#log.line(definition.key, readable.level, readable.text);
      });
    }

    this.#ready = new Promise((resolve, reject) => {
      worker.on('message', (reply: WorkerReply) => {
        if (reply.kind === 'ready') {
          this.#log.info(definition.key, `cold start in ${reply.initMs} ms`);
          resolve();
        } else if (reply.kind === 'init-failed') {
          reject(
            new Error(
              `${definition.key} failed to load: ` +
                `${reply.error.errorType}: ${reply.error.errorMessage}`,
            ),
          );
        } else if (this.#pending) {
          this.#pending.settle(reply);
        }
      });
      worker.on('exit', (code, signal) => {
        if (this.#worker === worker) this.#worker = undefined;
        reject(new Error(`${definition.key} exited (${signal ?? code})`));
        this.#pending?.settle({
          kind: 'error',
          id: this.#pending.id,
          error: {
            errorType: 'Runtime.ExitError',
            errorMessage: `Runtime exited (${signal ?? code})`,
          },
        });
      });
    });
    worker.send({
      kind: 'init',
      handlerFile: definition.handlerFile,
      exportName: definition.exportName,
    });
    return this.#ready;
  }

  /** The variables Lambda sets, then the function's own. */
  #lambdaEnvironment(): NodeJS.ProcessEnv {
    const { definition } = this;
    return {
      PATH: process.env.PATH,
      TZ: 'UTC',
      LANG: 'en_US.UTF-8',
      AWS_REGION: definition.region,
      AWS_DEFAULT_REGION: definition.region,
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      AWS_LAMBDA_FUNCTION_NAME: definition.name,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(definition.memorySizeMb),
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${definition.name}`,
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      NODE_OPTIONS: '--enable-source-maps',
      // Lambda runs Node 22, where the AWS SDK says nothing; on an older
      // local Node it would warn at every cold start.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...definition.environment,
    };
  }
}
