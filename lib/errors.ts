import type { status } from '@grpc/grpc-js';

/**
 * Base of every error this bundle raises on purpose. Each class spells out
 * its `name`: the bundles are minified, so a class name read at run time
 * would reach the logs mangled.
 */
export class BizServerError extends Error {
  override name = 'BizServerError';
}

/** An environment variable is missing or malformed; the function cannot start. */
export class ConfigError extends BizServerError {
  override name = 'ConfigError';
  readonly variable: string;

  constructor(variable: string, message: string) {
    super(`${variable} ${message}`);
    this.variable = variable;
  }
}

/**
 * A push did not go through: Push-Manager was unreachable, too slow, or
 * refused the call, and retrying within this invocation did not help.
 * The event stays with Lambda, which retries it or parks it.
 */
export class PushFailedError extends BizServerError {
  override name = 'PushFailedError';
  readonly code: status;
  readonly attempts: number;

  constructor(
    message: string,
    details: { code: status; attempts: number; cause?: unknown },
  ) {
    super(message, { cause: details.cause });
    this.code = details.code;
    this.attempts = details.attempts;
  }
}

/**
 * The event handed to a function is not one it can handle (empty, foreign,
 * or malformed). Retrying it cannot help.
 */
export class InvalidEventError extends BizServerError {
  override name = 'InvalidEventError';
}
