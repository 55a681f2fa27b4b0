// The loopback servers' helpers live in lib/sandbox, which runs the same fakes for `npm start`.
export { closeServer, freePort, listen, readBody, sendJson, sleep } from '../../lib/sandbox/http.js';
export { multipartBoundary, parseMultipart, type MultipartPart } from '../../lib/sandbox/multipart.js';
