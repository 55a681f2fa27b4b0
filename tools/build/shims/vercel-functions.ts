// The functions use `waitUntil` alone from @vercel/functions, whose index also loads its cache,
// OIDC and WebSocket helpers (with the `ws` package) on every cold start. The bundle takes the
// package's own wait-until module; importing anything else from '@vercel/functions' fails the build.
export { waitUntil } from '../../../node_modules/@vercel/functions/wait-until.js';
