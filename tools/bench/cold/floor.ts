// Cold start of a process that only answers 200: Node's own start-up plus an HTTP server.
import { serveOneUpdate } from './serve.js';
import { floorHandler } from '../child/tracked-server.js';

serveOneUpdate(floorHandler);
