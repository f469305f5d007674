import {
  type ChannelCredentials,
  Client,
  credentials,
  type Metadata,
  type MethodDefinition,
  type ServiceError,
} from '@grpc/grpc-js';
import type { PushConfig } from './push-config.js';

// Keepalive pings are left off on purpose: a Lambda environment frozen
// between invocations misses them and finds its connection declared dead on
// thaw. Idle channels are rebuilt instead (see channelMaxIdleMs).
const CHANNEL_OPTIONS = {
  'grpc.initial_reconnect_backoff_ms': 100,
  'grpc.max_reconnect_backoff_ms': 2000,
} as const;

interface Connection {
  readonly client: Client;
  inFlight: number;
  retired: boolean;
}

function channelCredentials(config: PushConfig): ChannelCredentials {
  if (!config.tls) return credentials.createInsecure();
  const { rootCert, privateKey, certChain } = config.tls;
  return credentials.createSsl(
    rootCert ?? null,
    privateKey ?? null,
    certChain ?? null,
  );
}

/**
 * The one gRPC channel of an execution environment. It is opened on the
 * first call, kept across warm invocations, replaced when it has been idle
 * longer than a load balancer keeps a connection, and replaced on request
 * after a call found Push-Manager unreachable. A replaced channel is closed
 * once the calls still running on it have finished.
 */
export class PushChannel {
  readonly #config: PushConfig;
  readonly #now: () => number;
  #current: Connection | undefined;
  #lastUsedAt = 0;
  #opened = 0;

  constructor(config: PushConfig, now: () => number = Date.now) {
    this.#config = config;
    this.#now = now;
  }

  /** How many channels this holder has opened; each is one TCP connection. */
  get openedCount(): number {
    return this.#opened;
  }

  /** Makes one unary call with the given deadline. */
  call<Request, Response>(
    method: MethodDefinition<Request, Response>,
    request: Request,
    metadata: Metadata,
    deadlineMs: number,
  ): { connection: object; response: Promise<Response> } {
    const connection = this.#acquire();
    connection.inFlight += 1;

    const response = new Promise<Response>((resolve, reject) => {
      connection.client.makeUnaryRequest(
        method.path,
        method.requestSerialize,
        method.responseDeserialize,
        request,
        metadata,
        { deadline: this.#now() + deadlineMs },
        (error: ServiceError | null, value?: Response) => {
          this.#release(connection);
          if (error || value === undefined) reject(error);
          else resolve(value);
        },
      );
    });
    return { connection, response };
  }

  /**
   * Retires the channel a failed call used, so the next call dials afresh.
   * Does nothing when that channel was already replaced by another call.
   */
  replace(connection: object): void {
    if (connection !== this.#current) return;
    this.#retire(this.#current);
    this.#current = undefined;
  }

  /** Closes the channel; the next call opens a new one. */
  close(): void {
    if (this.#current) this.#retire(this.#current);
    this.#current = undefined;
  }

  #acquire(): Connection {
    const idleMs = this.#now() - this.#lastUsedAt;
    const current = this.#current;
    if (
      current &&
      current.inFlight === 0 &&
      idleMs > this.#config.channelMaxIdleMs
    ) {
      this.#retire(current);
      this.#current = undefined;
    }

    this.#current ??= this.#open();
    return this.#current;
  }

  #open(): Connection {
    this.#opened += 1;
    const client = new Client(
      this.#config.address,
      channelCredentials(this.#config),
      CHANNEL_OPTIONS,
    );
    return { client, inFlight: 0, retired: false };
  }

  #release(connection: Connection): void {
    connection.inFlight -= 1;
    this.#lastUsedAt = this.#now();
    if (connection.retired && connection.inFlight === 0)
      connection.client.close();
  }

  #retire(connection: Connection): void {
    connection.retired = true;
    if (connection.inFlight === 0) connection.client.close();
  }
}
