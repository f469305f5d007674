// One cold start: load the code, handle one event, report when each step
// ended (wall clock, compared by the parent with the time it spawned us).
import {
  lambdaContext,
  loadHandler,
  nowEpochMs,
  peakRssMb,
  readSpec,
  report,
  setTraceHeader,
} from './child-support.mjs';
import { plainRequest } from './plain-requests.mjs';
import { plainS3Reader } from './plain-s3-reader.mjs';

const spec = readSpec();

async function coldStartHandler() {
  const handler = await loadHandler(spec.handlerFile, spec.exportName);
  const loadedAt = nowEpochMs();

  setTraceHeader();
  const context = lambdaContext(
    spec.functionName,
    spec.timeoutMs,
    spec.memoryMb,
  );
  const result = await handler(spec.event, context);
  return { loadedAt, answeredAt: nowEpochMs(), result };
}

async function coldStartPlain() {
  const plain = await import(spec.clientModule);
  const Service = plain.loadPlainService(spec.protoPath);
  const client = plain.openPlainClient(Service, spec.address);
  const readClip = spec.object && (await plainS3Reader(spec.object));
  const loadedAt = nowEpochMs();

  const request = plainRequest(spec.method, readClip ? 0 : spec.recordBytes);
  if (readClip) request.content.data = await readClip();
  const result = await plain.unaryCall(client, spec.method, request);
  return { loadedAt, answeredAt: nowEpochMs(), result };
}

async function coldStartBare() {
  const at = nowEpochMs();
  return { loadedAt: at, answeredAt: at, result: null };
}

const RUNNERS = {
  handler: coldStartHandler,
  plain: coldStartPlain,
  bare: coldStartBare,
};

const outcome = await RUNNERS[spec.kind]();
report({ ...outcome, peakRssMb: peakRssMb() });
process.exit(0);
