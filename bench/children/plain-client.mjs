// The baseline: the Push-Manager client a team writes by hand with grpc-js
// and proto-loader, reading the .proto at start with loadSync, as in
// Push-Manager's own examples.
import { credentials, loadPackageDefinition } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

const DEADLINE_MS = 5000;

/** The generated client class of PushManagerService. */
export function loadPlainService(protoPath) {
  const definition = loadSync(protoPath, {
    keepCase: true,
    longs: Number,
    enums: String,
    defaults: true,
  });
  return loadPackageDefinition(definition).pushmanager.PushManagerService;
}

/** One unary call with a 5 s deadline, as a promise of the response. */
export function unaryCall(client, method, request) {
  return new Promise((resolve, reject) => {
    client[method](
      request,
      { deadline: Date.now() + DEADLINE_MS },
      (error, response) => (error ? reject(error) : resolve(response)),
    );
  });
}

/** Push-Manager's example pattern: dial, make one call, close. */
export async function dialCallClose(Service, address, method, request) {
  const client = new Service(address, credentials.createInsecure());
  try {
    return await unaryCall(client, method, request);
  } finally {
    client.close();
  }
}

export function openPlainClient(Service, address) {
  return new Service(address, credentials.createInsecure());
}
