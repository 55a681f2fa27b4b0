// A Build Output API function directory started the way Vercel's Node launcher starts it
// (@vercel/node's serverless-handler, which `vercel dev` uses; the production launcher is not
// published): read `.vc-config.json`, set NODE_ENV, `import()` the handler file, unwrap nested
// `default` exports, and serve each request through Vercel's helpers when `shouldAddHelpers` is on.
//   node vercel-launcher.js <path/to/api/telegram.func>
// Serves one update and reports its phases on fd 3 (see serve.ts), like the other cold entries.
import { serveOneUpdate } from './serve.js';
import { loadFunctionDir } from './function-dir.js';

serveOneUpdate(await loadFunctionDir(process.argv[2] ?? '.'));
