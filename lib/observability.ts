import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Env } from './env.js';

export const DEFAULT_METRICS_NAMESPACE = 'BizServer';

/** The structured logger and the CloudWatch embedded-metrics writer. */
export interface Observability {
  readonly logger: Logger;
  readonly metrics: Metrics;
}

/**
 * One JSON logger and one metrics writer per function. Powertools reads its
 * own variables (POWERTOOLS_LOG_LEVEL, POWERTOOLS_METRICS_NAMESPACE, ...).
 */
export function createObservability(
  serviceName: string,
  env: Env,
): Observability {
  return {
    logger: new Logger({ serviceName }),
    metrics: new Metrics({
      serviceName,
      namespace: env.POWERTOOLS_METRICS_NAMESPACE ?? DEFAULT_METRICS_NAMESPACE,
    }),
  };
}
