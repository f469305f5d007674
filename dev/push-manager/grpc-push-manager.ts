import { join } from 'node:path';
import {
  Server,
  ServerCredentials,
  type ServerUnaryCall,
  type ServiceDefinition,
  type sendUnaryData,
  status,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { isPortInUse, LOOPBACK_HOST, PortInUseError } from '../ports.js';
import { repoRoot } from '../repo-root.js';
import type { Presence } from './presence.js';
import {
  broadcastMessage,
  InvalidPushError,
  type PushAnswer,
  type PushRequest,
  pushToRoom,
  pushToUser,
} from './push-semantics.js';
import type { ActivityEvent, PushMethod } from './viewer-events.js';

const PROTO_FILE = join('proto', 'push_manager.proto');
const SERVICE_NAME = 'PushManagerService';

type Semantics = (
  presence: Presence,
  request: PushRequest,
  requestId?: string,
) => PushAnswer;

const SEMANTICS: Record<PushMethod, Semantics> = {
  PushToRoom: pushToRoom,
  PushToUser: pushToUser,
  BroadcastMessage: broadcastMessage,
};

/**
 * Reads proto/push_manager.proto at start, so a replaced .proto is served
 * without a build step, and finds PushManagerService whatever its package.
 */
function loadService(): ServiceDefinition {
  const definition = loadSync(join(repoRoot(), PROTO_FILE), {
    keepCase: true,
    longs: Number,
    enums: String,
    defaults: true,
  });
  const path = Object.keys(definition).find(
    (key) => key === SERVICE_NAME || key.endsWith(`.${SERVICE_NAME}`),
  );
  if (!path) throw new Error(`${PROTO_FILE} declares no ${SERVICE_NAME}`);

  // proto-loader keys a service by its full name and gives its methods.
  return definition[path] as ServiceDefinition;
}

export interface GrpcPushManagerOptions {
  presence: Presence;
  /** Called with what Push-Manager did for each call. */
  onActivity(activity: ActivityEvent): void;
}

/**
 * A grpc-js server with Push-Manager's semantics over the viewers that are
 * connected: the same service, messages and answers as the real one.
 */
export class GrpcPushManager {
  readonly #options: GrpcPushManagerOptions;
  #server: Server | undefined;

  constructor(options: GrpcPushManagerOptions) {
    this.#options = options;
  }

  /** Binds 127.0.0.1:`port` (0 for a free one) and resolves the port bound. */
  async start(port: number, setting: string): Promise<number> {
    const server = new Server();
    const methods = Object.keys(SEMANTICS) as PushMethod[];
    server.addService(
      loadService(),
      Object.fromEntries(methods.map((m) => [m, this.#handler(m)])),
    );

    try {
      const bound = await new Promise<number>((resolve, reject) => {
        server.bindAsync(
          `${LOOPBACK_HOST}:${port}`,
          ServerCredentials.createInsecure(),
          (error, boundPort) => (error ? reject(error) : resolve(boundPort)),
        );
      });
      this.#server = server;
      return bound;
    } catch (error) {
      server.forceShutdown();
      if (port !== 0 && (await isPortInUse(port))) {
        throw new PortInUseError(port, setting);
      }
      throw error;
    }
  }

  /** Lets calls in flight finish, then stops; forced after `graceMs`. */
  async stop(graceMs = 1000): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;

    await new Promise<void>((resolve) => {
      const force = setTimeout(() => {
        server.forceShutdown();
        resolve();
      }, graceMs);
      server.tryShutdown(() => {
        clearTimeout(force);
        resolve();
      });
    });
  }

  #handler(method: PushMethod) {
    return (
      call: ServerUnaryCall<PushRequest, unknown>,
      callback: sendUnaryData<unknown>,
    ) => {
      const requestId = call.metadata.get('x-request-id')[0]?.toString();
      try {
        const answer = SEMANTICS[method](
          this.#options.presence,
          call.request,
          requestId,
        );
        this.#options.onActivity(answer.activity);
        callback(null, answer.response);
      } catch (error) {
        const code =
          error instanceof InvalidPushError
            ? status.INVALID_ARGUMENT
            : status.INTERNAL;
        callback({ code, details: (error as Error).message }, null);
      }
    };
  }
}
