import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The Push-Manager contract, read by the plain client and the server. */
export const PROTO_PATH = fileURLToPath(
  new URL('../../proto/push_manager.proto', import.meta.url),
);

/** Where the run's numbers are written. */
export const RESULTS_PATH = fileURLToPath(
  new URL('../results.json', import.meta.url),
);

export const CHILDREN_DIR = fileURLToPath(
  new URL('../children/', import.meta.url),
);
