// The loopback servers' helpers live in tools/sandbox, which runs the same fakes for `npm start`.
export { closeServer, freePort, listen, readBody, sendJson, sleep } from '../../tools/sandbox/http.js';
export { multipartBoundary, parseMultipart, type MultipartPart } from '../../tools/sandbox/multipart.js';
