import { ConfigError } from './errors.js';

/** Environment variables as Lambda passes them; tests pass their own. */
export type Env = Readonly<Record<string, string | undefined>>;

function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === '' ? undefined : value;
}

export function requiredString(env: Env, name: string): string {
  const value = read(env, name);
  if (value === undefined) throw new ConfigError(name, 'is required');
  return value;
}

export function optionalString(env: Env, name: string): string | undefined {
  return read(env, name);
}

export function positiveInteger(env: Env, name: string, fallback: number) {
  const value = read(env, name);
  if (value === undefined) return fallback;

  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed <= 0) {
    throw new ConfigError(name, `must be a positive integer, got "${value}"`);
  }
  return parsed;
}

export function booleanFlag(env: Env, name: string, fallback: boolean) {
  const value = read(env, name)?.toLowerCase();
  if (value === undefined) return fallback;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new ConfigError(name, `must be true or false, got "${value}"`);
}

export function oneOf<T extends string>(
  env: Env,
  name: string,
  choices: readonly T[],
  fallback: T,
): T {
  const value = read(env, name);
  if (value === undefined) return fallback;
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new ConfigError(
    name,
    `must be one of ${choices.join(', ')}, got "${value}"`,
  );
}
