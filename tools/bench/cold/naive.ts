// Cold start of the seed's "before" wiring (see tools/bench/child/naive-webhook.ts).
import { serveOneUpdate } from './serve.js';
import { createNaiveWebhook } from '../child/naive-webhook.js';

serveOneUpdate(createNaiveWebhook());
