import { Metadata, type MethodDefinition, status } from '@grpc/grpc-js';
import { PushFailedError } from './errors.js';
import type { PushChannel } from './push-channel.js';
import type { PushConfig } from './push-config.js';
import type { Invocation } from './push-types.js';
import {
  backoffDelayMs,
  grpcStatusOf,
  isConnectionLost,
  isRetryable,
  sleep,
} from './retry.js';

// A call given less than this is not worth starting.
const MIN_ATTEMPT_MS = 50;

function requestMetadata(invocation: Invocation): Metadata {
  const metadata = new Metadata();
  metadata.set('x-request-id', invocation.requestId);
  if (invocation.traceparent) {
    metadata.set('traceparent', invocation.traceparent);
  }
  return metadata;
}

function noTimeLeft(attempts: number, cause: unknown): PushFailedError {
  const code =
    cause === undefined ? status.DEADLINE_EXCEEDED : grpcStatusOf(cause);
  const reason = cause instanceof Error ? `; last error: ${cause.message}` : '';
  return new PushFailedError(
    'No time left in this invocation for another Push-Manager call after ' +
      `${attempts} attempt(s)${reason}`,
    { code, attempts, cause },
  );
}

/**
 * Makes one unary call, retrying what did not go through: each attempt's
 * deadline is the smaller of the configured timeout and the invocation's
 * remaining time less the margin, and no back-off sleeps past that time.
 * Throws PushFailedError when the call cannot be made to go through.
 */
export async function callWithRetries<Request, Response>(
  channel: PushChannel,
  config: PushConfig,
  random: () => number,
  method: MethodDefinition<Request, Response>,
  request: Request,
  invocation: Invocation,
): Promise<{ response: Response; attempts: number }> {
  const metadata = requestMetadata(invocation);
  const timeLeft = () => invocation.remainingTimeMs() - config.deadlineMarginMs;
  let dialledAfresh = false;
  let lastError: unknown;

  for (let attempt = 1; attempt <= config.maxAttempts; attempt += 1) {
    const deadlineMs = Math.min(config.timeoutMs, timeLeft());
    if (deadlineMs < MIN_ATTEMPT_MS) throw noTimeLeft(attempt - 1, lastError);

    const call = channel.call(method, request, metadata, deadlineMs);
    try {
      return { response: await call.response, attempts: attempt };
    } catch (error) {
      lastError = error;
      const code = grpcStatusOf(error);
      if (!isRetryable(code) || attempt === config.maxAttempts) {
        throw new PushFailedError(
          `Push-Manager call ${method.path} failed after ${attempt} ` +
            `attempt(s): ${(error as Error).message}`,
          { code, attempts: attempt, cause: error },
        );
      }

      // The connection may be a dead one kept from before Push-Manager
      // restarted or before this environment was frozen: dial afresh once.
      if (isConnectionLost(code) && !dialledAfresh) {
        channel.replace(call.connection);
        dialledAfresh = true;
      }

      const delayMs = backoffDelayMs(
        attempt,
        config.retryBaseMs,
        config.retryMaxMs,
        random,
      );
      if (timeLeft() - delayMs < MIN_ATTEMPT_MS) {
        throw noTimeLeft(attempt, error);
      }
      await sleep(delayMs);
    }
  }

  // Not reached: the last attempt returns or throws inside the loop.
  throw noTimeLeft(config.maxAttempts, lastError);
}
