// The local Redmine the Redmine suite runs against (tools/redmine/setup.sh starts it and writes its
// keys to a state file; REDMINE_TEST_STATE names another). Absent or unreachable: the suite skips,
// and the global setup (redmine-global-setup.ts) says so in one line.
import type { LocalRedmine } from '../../tools/redmine/local-redmine.js';
import type { Person } from './person.js';

export { localRedmine, redmineEnv, redmineStatePath, type LocalRedmine } from '../../tools/redmine/local-redmine.js';

/** Redmine's REST API as a person at Redmine (the agent, or the admin). */
export function redmineAs(redmine: LocalRedmine, key: string) {
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<unknown> => {
    const response = await fetch(`${redmine.url}/${path}`, {
      method,
      headers: { 'x-redmine-api-key': key, ...(body !== undefined && !(body instanceof Uint8Array) && { 'content-type': 'application/json' }), ...headers },
      body: body instanceof Uint8Array ? body : body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return text === '' ? null : JSON.parse(text);
  };
  return {
    call,
    async statusId(name: string): Promise<number> {
      const answer = (await call('GET', 'issue_statuses.json')) as { issue_statuses: { id: number; name: string }[] };
      const found = answer.issue_statuses.find((status) => status.name === name);
      if (found === undefined) throw new Error(`no status ${name}`);
      return found.id;
    },
    async upload(filename: string, bytes: Uint8Array): Promise<string> {
      const answer = (await call('POST', `uploads.json?filename=${encodeURIComponent(filename)}`, bytes, { 'content-type': 'application/octet-stream' })) as { upload: { token: string } };
      return answer.upload.token;
    },
    /** A note on the issue: public unless `private`, with a status change and a file when given. */
    async note(issueId: string | number, change: { notes?: string; status?: string; private?: boolean; file?: { name: string; type: string; bytes: Uint8Array } }): Promise<void> {
      const uploads = change.file === undefined ? undefined : [{ token: await this.upload(change.file.name, change.file.bytes), filename: change.file.name, content_type: change.file.type }];
      await call('PUT', `issues/${issueId}.json`, {
        issue: {
          ...(change.notes !== undefined && { notes: change.notes }),
          ...(change.private === true && { private_notes: true }),
          ...(change.status !== undefined && { status_id: await this.statusId(change.status) }),
          ...(uploads && { uploads }),
        },
      });
    },
    async issue(issueId: string | number): Promise<{ id: number; subject: string; description: string; status: { name: string }; journals: { id: number; notes: string; user: { name: string } }[]; attachments: { filename: string; description: string }[] }> {
      return ((await call('GET', `issues/${issueId}.json?include=journals,attachments`)) as { issue: never }).issue;
    },
    async issuesOf(telegramUserId: number) {
      const answer = (await call('GET', `issues.json?project_id=${redmine.project}&cf_${redmine.telegram_field_id}=${telegramUserId}&status_id=*&sort=id:desc&limit=100`)) as { issues: { id: number; subject: string; description: string }[] };
      return answer.issues;
    },
  };
}

/** A new request made in the chat, step by step, with a phone; answers the issue's id. */
export async function submitInChat(p: Person, description: string, options: { photo?: boolean; labels?: [string, string, string] } = {}): Promise<string> {
  const [type, side, category] = options.labels ?? ['Support', 'North building', 'Plumbing'];
  const ru = p.languageCode === 'ru';
  await p.say('/new');
  await p.tap(type);
  await p.tap(side);
  await p.tap(category);
  await p.say(description);
  if (options.photo === true) await p.sendPhoto();
  else await p.tap(ru ? 'Пропустить' : 'Skip');
  await p.shareContact();
  await p.tap(ru ? 'Подтвердить' : 'Confirm');
  const number = /#(\d+)/.exec(p.screen().text)?.[1];
  if (number === undefined) throw new Error(`no request number in: ${p.screen().text}`);
  return number;
}
