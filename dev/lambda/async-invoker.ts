import type { DeadLetterFile } from '../dead-letter-file.js';
import type { StackLog } from '../terminal-log.js';
import type { InvocationResult, LocalFunction } from './local-function.js';
import type { TemplateFunction } from './service-template.js';

/**
 * Pause before each retry of a failed asynchronous invocation. Lambda waits
 * about one and then two minutes; locally seconds, so a retry is seen soon.
 */
export const ASYNC_RETRY_DELAYS_MS = [1000, 2000] as const;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Lambda's record of an asynchronous invocation that failed every attempt,
 * as its on-failure destination receives it.
 */
function onFailureRecord(
  fn: LocalFunction,
  event: unknown,
  last: Extract<InvocationResult, { ok: false }>,
  attempts: number,
) {
  return {
    version: '1.0',
    timestamp: new Date().toISOString(),
    requestContext: {
      requestId: last.requestId,
      functionArn: `${fn.arn}:$LATEST`,
      condition: 'RetriesExhausted',
      approximateInvokeCount: attempts,
    },
    requestPayload: event,
    responseContext: {
      statusCode: 200,
      executedVersion: '$LATEST',
      functionError: 'Unhandled',
    },
    responsePayload: {
      errorType: last.errorType,
      errorMessage: last.errorMessage,
    },
  };
}

/**
 * Invokes a function the way S3 and Scheduler do, asynchronously: an error
 * is retried `maximumRetryAttempts` times, then the event goes to the
 * on-failure queue (the dead-letter file), or is dropped with a log line
 * when the function has none.
 */
export async function invokeAsync(
  fn: LocalFunction,
  settings: TemplateFunction['async'],
  event: unknown,
  summary: string,
  deadLetters: DeadLetterFile,
  log: StackLog,
): Promise<void> {
  const attempts = settings.maximumRetryAttempts + 1;
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    const label = attempt === 1 ? summary : `${summary}, retry ${attempt - 1}`;
    const result = await fn.invoke(event, label);
    if (result.ok || fn.stopped) return;

    if (attempt < attempts) {
      await sleep(ASYNC_RETRY_DELAYS_MS[attempt - 1] ?? 2000);
      continue;
    }

    const key = fn.definition.key;
    if (!settings.onFailureQueue) {
      log.error(key, `${summary}: dropped after ${attempts} attempt(s)`);
      return;
    }
    await deadLetters.append({
      at: new Date().toISOString(),
      source: settings.onFailureQueue,
      functionName: key,
      reason: `${result.errorType}: ${result.errorMessage}`,
      event: onFailureRecord(fn, event, result, attempts),
    });
    log.warn(
      key,
      `${summary}: failed ${attempts} time(s), sent to ` +
        settings.onFailureQueue,
    );
  }
}
