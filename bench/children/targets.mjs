// What a measured process exercises: the packaged handler, or the plain
// grpc-js client doing the same calls. Each `invoke` handles one event (one
// batch of `records`) and returns how long the measured part took; building
// the AWS event is the harness's work and stays outside the timing.
import { performance } from 'node:perf_hooks';
import {
  lambdaContext,
  loadHandler,
  setTraceHeader,
} from './child-support.mjs';
import { eventFor } from './events.mjs';
import { plainRequest } from './plain-requests.mjs';
import { plainS3Reader } from './plain-s3-reader.mjs';

/** How many records of a handler's answer were not handled. */
function failuresIn(result, records) {
  if (Array.isArray(result?.batchItemFailures))
    return result.batchItemFailures.length;
  if (result && typeof result === 'object' && 'delivered' in result)
    return result.delivered ? 0 : records;
  return 0;
}

async function handlerTarget(spec) {
  const handler = await loadHandler(spec.handlerFile, spec.exportName);

  return async (records) => {
    const event = eventFor(spec.functionName, {
      records,
      bytes: spec.recordBytes,
      object: spec.object,
    });
    setTraceHeader();
    const context = lambdaContext(
      spec.functionName,
      spec.timeoutMs,
      spec.memoryMb,
    );

    const startedAt = performance.now();
    const result = await handler(event, context);
    const durationMs = performance.now() - startedAt;

    return { durationMs, failures: failuresIn(result, records) };
  };
}

async function plainTarget(spec) {
  const plain = await import(spec.clientModule);
  const Service = plain.loadPlainService(spec.protoPath);
  const client = plain.openPlainClient(Service, spec.address);
  const readClip = spec.object ? await plainS3Reader(spec.object) : undefined;
  const callOnce = (request) =>
    spec.dialPerPush
      ? plain.dialCallClose(Service, spec.address, spec.method, request)
      : plain.unaryCall(client, spec.method, request);

  async function pushOne() {
    const request = plainRequest(spec.method, readClip ? 0 : spec.recordBytes);
    if (readClip) request.content.data = await readClip();
    const response = await callOnce(request);
    return response.success ? 0 : 1;
  }

  return async (records) => {
    const startedAt = performance.now();
    let failures = 0;
    let next = 0;
    const worker = async () => {
      while (next < records) {
        next += 1;
        failures += await pushOne();
      }
    };
    const workers = Math.min(spec.concurrency ?? 1, records);
    await Promise.all(Array.from({ length: workers }, worker));

    return { durationMs: performance.now() - startedAt, failures };
  };
}

/** Loads what `spec.target` names and returns its `invoke(records)`. */
export function createTarget(spec) {
  return spec.target === 'handler' ? handlerTarget(spec) : plainTarget(spec);
}
