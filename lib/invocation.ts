import type { Context } from 'aws-lambda';
import type { Env } from './env.js';
import type { Invocation } from './push-types.js';

const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;
const XRAY_ROOT = /Root=1-([0-9a-f]{8})-([0-9a-f]{24})/;
const XRAY_PARENT = /Parent=([0-9a-f]{16})/;
const XRAY_SAMPLED = /Sampled=([01])/;

/**
 * The W3C `traceparent` for Lambda's X-Ray trace header (`_X_AMZN_TRACE_ID`):
 * an X-Ray root `1-{8 hex time}-{24 hex}` is the same 128-bit trace id.
 */
export function traceparentFromXRay(header: string | undefined) {
  const root = header?.match(XRAY_ROOT);
  const parent = header?.match(XRAY_PARENT);
  if (!root || !parent) return undefined;

  const sampled = header?.match(XRAY_SAMPLED)?.[1] === '1' ? '01' : '00';
  return `00-${root[1]}${root[2]}-${parent[1]}-${sampled}`;
}

/**
 * What the push client needs of one Lambda invocation. A `traceparent` the
 * event carried wins over the one derived from Lambda's X-Ray header.
 */
export function invocationOf(
  context: Context,
  env: Env,
  eventTraceparent?: string,
): Invocation {
  const carried =
    eventTraceparent && TRACEPARENT.test(eventTraceparent)
      ? eventTraceparent
      : undefined;
  return {
    requestId: context.awsRequestId,
    remainingTimeMs: () => context.getRemainingTimeInMillis(),
    traceparent: carried ?? traceparentFromXRay(env._X_AMZN_TRACE_ID),
  };
}
