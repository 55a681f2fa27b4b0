import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { OPENAPI_FILE, buildOpenApiDocument, renderOpenApiDocument } from './openapi-document.js';

/**
 * `npm run contract:openapi`: writes docs/backend-openapi.json from the contract's schemas and
 * the ROUTES table. `--check` writes nothing and exits 1 when the file is not what they give.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export function generatedOpenApiText(): string {
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  return renderOpenApiDocument(buildOpenApiDocument({ version }));
}

function main(): void {
  const { values } = parseArgs({ options: { check: { type: 'boolean' } } });
  const file = join(root, OPENAPI_FILE);
  const text = generatedOpenApiText();
  if (values.check === true) {
    let current = '';
    try {
      current = readFileSync(file, 'utf8');
    } catch {
      // a missing file differs like any other
    }
    if (current !== text) {
      console.error(`${OPENAPI_FILE} is not what the schemas give: run npm run contract:openapi and commit it`);
      process.exit(1);
    }
    process.stdout.write(`${OPENAPI_FILE} is up to date\n`);
    return;
  }
  writeFileSync(file, text);
  process.stdout.write(`wrote ${OPENAPI_FILE} (${Buffer.byteLength(text)} bytes)\n`);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
