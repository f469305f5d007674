import type { Env } from './env.js';
import { createObservability, type Observability } from './observability.js';
import { PushClient, type PushClientOptions } from './push-client.js';
import { loadPushConfig } from './push-config.js';

/** What every function holds for the life of its execution environment. */
export interface FunctionRuntime extends Observability {
  readonly env: Env;
  readonly push: PushClient;
}

/**
 * Reads the configuration and builds the logger, metrics and push client of
 * one function. Called once per execution environment, at module load, so a
 * missing variable fails the start rather than the first event. The gRPC
 * channel itself opens on the first push.
 */
export function createFunctionRuntime(
  serviceName: string,
  env: Env,
  options?: PushClientOptions,
): FunctionRuntime {
  const observability = createObservability(serviceName, env);
  const push = new PushClient(loadPushConfig(env), observability, options);
  return { ...observability, env, push };
}
