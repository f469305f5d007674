// What each measured process is told: the spec (BENCH_SPEC) and the
// environment, for a packaged handler or for the plain client.
import { lambdaEnv } from './lambda-env.mjs';
import { PROTO_PATH, ROOT } from './paths.mjs';

/** The Push-Manager method each function calls for its sample events. */
export const METHOD_OF = {
  audioUpload: 'PushToRoom',
  translationResult: 'PushToUser',
  announcement: 'BroadcastMessage',
};

/** Powertools switched off: shows what logging and metrics cost. */
export const QUIET_OBSERVABILITY = {
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  POWERTOOLS_METRICS_DISABLED: 'true',
};

/**
 * Builds specs and environments for one run: `services` are the running
 * Push-Manager and s3rver, `plainModules` the plain client as source and as
 * an esbuild bundle.
 */
export function createSpecs(services, plainModules) {
  const shared = {
    PUSH_MANAGER_ADDRESS: services.pushManagerAddress,
    AWS_ENDPOINT_URL_S3: services.s3Endpoint,
    S3_FORCE_PATH_STYLE: 'true',
  };

  return {
    handlerEnv(bundle, extra = {}) {
      return lambdaEnv(
        bundle.functionName,
        bundle.taskRoot,
        { ...bundle.variables, ...shared, ...extra },
        bundle.memoryMb,
      );
    },

    handlerSpec(bundle, fields = {}) {
      return {
        target: 'handler',
        kind: 'handler',
        functionName: bundle.functionName,
        handlerFile: bundle.handlerFile,
        exportName: bundle.exportName,
        timeoutMs: bundle.timeoutMs,
        memoryMb: bundle.memoryMb,
        ...fields,
      };
    },

    /** The plain client's environment, with the memory of `beside`. */
    plainEnv(beside) {
      return lambdaEnv('plainClient', ROOT, shared, beside?.memoryMb);
    },

    plainSpec(method, fields = {}) {
      return {
        target: 'plain',
        kind: 'plain',
        clientModule: fields.bundled
          ? plainModules.bundled
          : plainModules.source,
        protoPath: PROTO_PATH,
        address: services.pushManagerAddress,
        method,
        ...fields,
      };
    },
  };
}
