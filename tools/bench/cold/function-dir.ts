// Loads a Build Output API function directory as Vercel's Node launcher does (see
// vercel-launcher.ts): the `.vc-config.json` handler, imported, nested `default`s unwrapped, and
// Vercel's helpers in front of it when `shouldAddHelpers` is on.
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { addHelpers } from './vercel-helpers.js';

interface VcConfig {
  readonly handler: string;
  readonly shouldAddHelpers?: boolean;
}

export type FunctionHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export async function loadFunctionDir(dir: string): Promise<FunctionHandler> {
  const funcDir = resolve(dir);
  const config = JSON.parse(readFileSync(join(funcDir, '.vc-config.json'), 'utf8')) as VcConfig;
  if (typeof config.handler !== 'string') throw new Error(`${funcDir}/.vc-config.json names no handler`);
  process.env.NODE_ENV ??= 'production';
  let listener = (await import(pathToFileURL(join(funcDir, config.handler)).href)) as { default?: unknown };
  // "In some cases we might have nested default props due to TS => JS" (the launcher's own words).
  for (let i = 0; i < 5 && listener.default !== undefined; i++) listener = listener.default as { default?: unknown };
  if (typeof listener !== 'function') throw new Error(`${join(funcDir, config.handler)}: the default export is not a function`);
  const handler = listener as (req: IncomingMessage, res: ServerResponse) => unknown;
  return async (req, res) => {
    if (config.shouldAddHelpers) await addHelpers(req, res);
    await handler(req, res);
  };
}
