// A proxy in front of a real server that passes every request through and, for the requests a rule
// picks, lets the server act and then drops its answer (the connection is destroyed): the caller
// cannot know whether it happened, as after a timeout or a broken connection.
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { closeServer, listen } from './http.js';

export interface LostAnswerProxy {
  readonly url: string;
  /** The next `times` requests matching `method` and `path` (a RegExp on the path) lose their answer. */
  loseNext(method: string, path: RegExp, times?: number): void;
  /** The next matching request is answered `status` by the proxy, never reaching the server (an older Redmine without that route). */
  refuseNext(method: string, path: RegExp, status: number): void;
  /** Answers dropped so far. */
  readonly lost: number;
  close(): Promise<void>;
}

export async function startLostAnswerProxy(upstreamUrl: string): Promise<LostAnswerProxy> {
  const upstream = new URL(upstreamUrl);
  const rules: { method: string; path: RegExp; times: number }[] = [];
  const refusals: { method: string; path: RegExp; status: number }[] = [];
  let lost = 0;
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://proxy.invalid').pathname;
    const refusal = refusals.findIndex((candidate) => candidate.method === req.method && candidate.path.test(path));
    if (refusal !== -1) {
      const { status } = refusals.splice(refusal, 1)[0] as { status: number };
      req.resume();
      res.writeHead(status, { 'content-type': 'text/html' }).end('<h1>Not here</h1>');
      return;
    }
    const rule = rules.find((candidate) => candidate.times > 0 && candidate.method === req.method && candidate.path.test(path));
    if (rule !== undefined) rule.times--;
    const forwarded = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
      (answer: IncomingMessage) => {
        if (rule !== undefined) {
          // Redmine has acted: read its answer to the end, then hang up on the caller.
          answer.resume();
          answer.on('end', () => {
            lost++;
            req.socket.destroy();
          });
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on('error', () => res.destroy());
    req.pipe(forwarded);
  });
  const url = await listen(server);
  return {
    url,
    loseNext(method, path, times = 1) {
      rules.push({ method, path, times });
    },
    refuseNext(method, path, status) {
      refusals.push({ method, path, status });
    },
    get lost() {
      return lost;
    },
    close: () => closeServer(server),
  };
}
