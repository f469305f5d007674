import { fileURLToPath } from 'node:url';
import {
  loadPackageDefinition,
  Server,
  ServerCredentials,
  type ServerUnaryCall,
  type ServiceDefinition,
  type sendUnaryData,
  status,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

const PROTO_PATH = fileURLToPath(
  new URL('../../proto/push_manager.proto', import.meta.url),
);

export type PushMethod = 'PushToRoom' | 'PushToUser' | 'BroadcastMessage';

/** One request as Push-Manager received it, with proto field names. */
export interface ReceivedCall {
  method: PushMethod;
  // biome-ignore lint/suspicious/noExplicitAny: decoded protobuf message
  request: any;
  metadata: Record<string, string>;
  /** Milliseconds the caller allowed, from its grpc-timeout header. */
  deadlineMs: number;
}

/** Decides one answer: a response object, or a thrown `{ code }` error. */
export type Behaviour = (
  call: ReceivedCall,
) => Promise<Record<string, unknown>> | Record<string, unknown>;

export const DEFAULT_ANSWERS: Record<PushMethod, Record<string, unknown>> = {
  PushToRoom: { success: true, delivered_count: 3, message: 'pushed' },
  PushToUser: { success: true, message: 'pushed' },
  BroadcastMessage: { success: true, total_delivered: 10 },
};

export class GrpcStatusError extends Error {
  constructor(
    readonly code: status,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A real grpc-js Push-Manager on 127.0.0.1 for tests: it records every call
 * and answers as the test's behaviour says (success by default).
 */
export class TestPushManager {
  readonly calls: ReceivedCall[] = [];
  behaviour: Behaviour = (call) => DEFAULT_ANSWERS[call.method];
  #server: Server | undefined;
  #port = 0;

  get port(): number {
    return this.#port;
  }

  get address(): string {
    return `127.0.0.1:${this.#port}`;
  }

  /** Fails the next `count` calls with `code`, then answers normally. */
  failNext(count: number, code = status.UNAVAILABLE): void {
    let left = count;
    const previous = this.behaviour;
    this.behaviour = (call) => {
      if (left <= 0) return previous(call);
      left -= 1;
      throw new GrpcStatusError(code, `injected ${status[code]}`);
    };
  }

  /** Starts on `port`, or on a free port the first time. */
  async start(port = this.#port): Promise<this> {
    const server = new Server();
    server.addService(loadService(), {
      PushToRoom: this.#handler('PushToRoom'),
      PushToUser: this.#handler('PushToUser'),
      BroadcastMessage: this.#handler('BroadcastMessage'),
    });
    this.#port = await new Promise<number>((resolve, reject) => {
      server.bindAsync(
        `127.0.0.1:${port}`,
        ServerCredentials.createInsecure(),
        (error, bound) => (error ? reject(error) : resolve(bound)),
      );
    });
    this.#server = server;
    return this;
  }

  /** Stops at once, dropping open connections, as a crashed process would. */
  async stop(): Promise<void> {
    this.#server?.forceShutdown();
    this.#server = undefined;
  }

  /** Stops and starts again on the same port. */
  async restart(): Promise<void> {
    await this.stop();
    await this.start(this.#port);
  }

  #handler(method: PushMethod) {
    return async (
      call: ServerUnaryCall<unknown, unknown>,
      callback: sendUnaryData<unknown>,
    ) => {
      const deadline = call.getDeadline();
      const received: ReceivedCall = {
        method,
        request: call.request,
        metadata: Object.fromEntries(
          Object.entries(call.metadata.getMap()).map(([k, v]) => [
            k,
            String(v),
          ]),
        ),
        deadlineMs:
          deadline instanceof Date
            ? deadline.getTime() - Date.now()
            : Number(deadline) - Date.now(),
      };
      this.calls.push(received);

      try {
        callback(null, await this.behaviour(received));
      } catch (error) {
        const code = (error as { code?: status }).code ?? status.INTERNAL;
        callback({ code, details: (error as Error).message }, null);
      }
    };
  }
}

function loadService(): ServiceDefinition {
  const definition = loadSync(PROTO_PATH, {
    keepCase: true,
    longs: Number,
    enums: String,
    defaults: true,
  });
  const root = loadPackageDefinition(definition) as unknown as {
    pushmanager: { PushManagerService: { service: ServiceDefinition } };
  };
  return root.pushmanager.PushManagerService.service;
}

export async function startPushManager(): Promise<TestPushManager> {
  return new TestPushManager().start();
}
