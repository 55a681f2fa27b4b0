// Cold start of the product: the real Vercel function module, as deployed.
import { serveOneUpdate } from './serve.js';
import handler from '../../../api/telegram.js';

serveOneUpdate(handler);
