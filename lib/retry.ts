import { status } from '@grpc/grpc-js';

/** The gRPC status of an error from grpc-js, or UNKNOWN for anything else. */
export function grpcStatusOf(error: unknown): status {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' && code in status ? code : status.UNKNOWN;
}

/**
 * Whether a failed call may succeed if tried again: the call did not go
 * through (UNAVAILABLE) or ran out of time or quota. Whether time is left for
 * another try is the caller's separate check.
 */
export function isRetryable(code: status): boolean {
  return (
    isConnectionLost(code) ||
    code === status.DEADLINE_EXCEEDED ||
    code === status.RESOURCE_EXHAUSTED
  );
}

/**
 * Exponential back-off with full jitter: a random wait between zero and
 * `baseMs * 2^(retry - 1)`, capped at `maxMs`.
 */
/**
 * Whether the connection itself failed. This client never cancels its own
 * calls, so a CANCELLED status means grpc-js dropped the call with its
 * connection, as it does for a call started just as Push-Manager restarted.
 */
export function isConnectionLost(code: status): boolean {
  return code === status.UNAVAILABLE || code === status.CANCELLED;
}

export function backoffDelayMs(
  retry: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
