import type { DeadLetterFile } from './dead-letter-file.js';
import {
  BadRequestError,
  type ViewerServer,
} from './push-manager/viewer-server.js';
import { InvalidMessageError, type LocalQueue } from './queue/local-queue.js';
import type { LocalScheduler } from './scheduler/local-scheduler.js';

/** What the stack's HTTP endpoints act on. */
export interface StackRouteTargets {
  viewer: ViewerServer;
  /** The queue `POST /translations` sends to. */
  translationQueue?: LocalQueue;
  queues: LocalQueue[];
  scheduler: LocalScheduler;
  /** Invokes the announcement function with an input, asynchronously. */
  announce?: (input: unknown) => void;
  deadLetters: DeadLetterFile;
  info: Record<string, unknown>;
}

// `?attribute.traceparent=...` becomes a String message attribute.
const ATTRIBUTE_PREFIX = 'attribute.';

function parseJson(body: Buffer, what: string): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new BadRequestError(
      `${what} must be JSON: ${(error as Error).message}`,
    );
  }
}

function sendRoute(queue: LocalQueue) {
  return ({ url, body }: { url: URL; body: Buffer }) => {
    const attributes: Record<string, string> = {};
    for (const [name, value] of url.searchParams) {
      if (name.startsWith(ATTRIBUTE_PREFIX)) {
        attributes[name.slice(ATTRIBUTE_PREFIX.length)] = value;
      }
    }

    try {
      const message = queue.send(body.toString('utf8'), attributes);
      return {
        status: 200,
        body: {
          queue: queue.name,
          messageId: message.messageId,
          md5OfBody: message.md5OfBody,
        },
      };
    } catch (error) {
      if (error instanceof InvalidMessageError) {
        throw new BadRequestError(error.message);
      }
      throw error;
    }
  };
}

/**
 * The stack's endpoints beside the viewer: send to a queue, announce,
 * fire a schedule, list schedules and dead letters, describe the stack.
 */
export function addStackRoutes(targets: StackRouteTargets): void {
  const { viewer, scheduler, deadLetters } = targets;

  for (const queue of targets.queues) {
    viewer.route('POST', `/queues/${queue.name}`, sendRoute(queue));
  }
  if (targets.translationQueue) {
    viewer.route('POST', '/translations', sendRoute(targets.translationQueue));
  }

  const { announce } = targets;
  if (announce) {
    viewer.route('POST', '/announcements', ({ body }) => {
      announce(parseJson(body, 'the announcement'));
      return { status: 202, body: { invoked: 'asynchronously' } };
    });
  }

  viewer.route('GET', '/schedules', () => ({
    status: 200,
    body: { schedules: scheduler.list() },
  }));
  viewer.route('POST', '/schedules/fire', ({ url }) => {
    const name = url.searchParams.get('name') ?? '';
    if (!scheduler.fireNow(name)) {
      const names = scheduler.list().map((s) => s.name);
      throw new BadRequestError(
        `no schedule "${name}"; the service declares: ${names.join(', ')}`,
      );
    }
    return { status: 202, body: { fired: name } };
  });

  viewer.route('GET', '/dead-letters', async () => ({
    status: 200,
    body: { file: deadLetters.path, entries: await deadLetters.list() },
  }));
  viewer.route('GET', '/api/stack', () => ({
    status: 200,
    body: targets.info,
  }));
}
