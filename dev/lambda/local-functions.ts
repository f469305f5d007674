import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { StackLog } from '../terminal-log.js';
import { type FunctionDefinition, LocalFunction } from './local-function.js';
import type { PackagedService } from './service-package.js';
import type { TemplateFunction } from './service-template.js';

/** A function of the service, ready to invoke, with its template settings. */
export interface ServiceFunction {
  readonly fn: LocalFunction;
  readonly settings: TemplateFunction;
}

/** `functions/audio-upload.handler` -> the built file and its export. */
function handlerOf(folder: string, handler: string) {
  const dot = handler.lastIndexOf('.');
  const module = join(folder, handler.slice(0, dot));
  const file = ['.js', '.cjs', '.mjs']
    .map((extension) => `${module}${extension}`)
    .find((candidate) => existsSync(candidate));
  if (!file) {
    throw new Error(
      `The artifact in ${folder} holds no ${handler.slice(0, dot)}.js: ` +
        'run npm start -- --repackage',
    );
  }
  return { handlerFile: file, exportName: handler.slice(dot + 1) };
}

/**
 * One LocalFunction per function of the template, keyed by logical id, with
 * the deployed environment under the stack's `overrides`.
 */
export function localFunctions(
  packaged: PackagedService,
  overrides: Record<string, string>,
  log: StackLog,
): Map<string, ServiceFunction> {
  const functions = new Map<string, ServiceFunction>();
  for (const settings of packaged.service.functions) {
    const folder = packaged.codeFolders[settings.logicalId] ?? '';
    const definition: FunctionDefinition = {
      key: settings.key,
      name: settings.name,
      ...handlerOf(folder, settings.handler),
      timeoutSeconds: settings.timeoutSeconds,
      memorySizeMb: settings.memorySizeMb,
      region: packaged.region,
      environment: { ...settings.environment, ...overrides },
    };
    functions.set(settings.logicalId, {
      fn: new LocalFunction(definition, log),
      settings,
    });

    if (settings.computedVariables.length > 0) {
      log.warn(
        settings.key,
        'not set locally, as CloudFormation computes them: ' +
          settings.computedVariables.join(', '),
      );
    }
  }
  return functions;
}
