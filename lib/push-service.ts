import type { ServiceDefinition } from '@grpc/grpc-js';
import { fromJSON } from '@grpc/proto-loader';
import {
  PUSH_MANAGER_SERVICE_PATH,
  pushManagerDescriptor,
} from './generated/push-manager-descriptor.js';

const SERVICE_NAME = 'PushManagerService';

// The options that shape what grpc-js hands us: camelCase fields, enums by
// name, int64 as number (Unix seconds fit), and defaults on responses so
// `success = false` is a real `false` rather than a missing field.
const LOADER_OPTIONS = {
  longs: Number,
  enums: String,
  defaults: true,
} as const;

/**
 * Loads Push-Manager's service from a parsed .proto (protobufjs JSON), found
 * by its name in whatever package the file declares.
 */
export function loadPushManagerService(
  descriptor: object = pushManagerDescriptor,
  preferredPath = PUSH_MANAGER_SERVICE_PATH,
): ServiceDefinition {
  const definition = fromJSON(descriptor, LOADER_OPTIONS);
  const path =
    preferredPath in definition
      ? preferredPath
      : Object.keys(definition).find(
          (key) => key === SERVICE_NAME || key.endsWith(`.${SERVICE_NAME}`),
        );

  const service = path === undefined ? undefined : definition[path];
  // A message or enum definition carries `format`; a service does not.
  if (service === undefined || 'format' in service) {
    throw new Error(
      `The Push-Manager .proto declares no ${SERVICE_NAME}: replace ` +
        'proto/push_manager.proto with the right file and run `npm run generate`.',
    );
  }
  return service as ServiceDefinition;
}
