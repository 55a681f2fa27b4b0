// The network between the backend and the bot's instances: a loopback HTTP server that spreads
// requests over several instances (round robin, as Vercel's router may) and can lose an answer
// after the instance did the work, so the caller sees a dropped connection and retries.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { closeServer, listen, readBody } from '../sandbox/http.js';

export interface ForwardedExchange {
  /** The request body as sent. */
  readonly body: Buffer;
  /** What the instance answered. */
  readonly status: number;
  readonly answer: string;
}

export interface LossyBalancerOptions {
  readonly targets: readonly string[];
  /** Called once the instance answered: true drops the connection instead of relaying the answer. */
  readonly loseAnswer?: (exchange: ForwardedExchange) => boolean;
}

export interface LossyBalancer {
  readonly url: string;
  /** Requests forwarded, per target index. */
  readonly forwarded: number[];
  /** Answers dropped after the instance answered. */
  readonly lost: number;
  close(): Promise<void>;
}

const HOP_HEADERS = new Set(['host', 'connection', 'content-length', 'keep-alive', 'transfer-encoding']);

export async function startLossyBalancer(options: LossyBalancerOptions): Promise<LossyBalancer> {
  const forwarded = options.targets.map(() => 0);
  let next = 0;
  let lost = 0;
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const index = next++ % options.targets.length;
      forwarded[index] = (forwarded[index] ?? 0) + 1;
      const response = await fetch(options.targets[index] ?? '', { method: req.method, headers: endToEnd(req.headers), body });
      const answer = await response.text();
      if (options.loseAnswer?.({ body, status: response.status, answer })) {
        lost++;
        req.socket.destroy();
        return;
      }
      res.writeHead(response.status, Object.fromEntries([...response.headers].filter(([name]) => !HOP_HEADERS.has(name))));
      res.end(answer);
    })().catch(() => {
      // The instance did not answer: neither does the balancer.
      req.socket.destroy();
    });
  });
  const url = await listen(server);
  return {
    url,
    forwarded,
    get lost() {
      return lost;
    },
    close: () => closeServer(server),
  };
}

function endToEnd(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!HOP_HEADERS.has(name) && typeof value === 'string') out[name] = value;
  }
  return out;
}
