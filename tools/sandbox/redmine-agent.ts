// The sandbox's agent when the backend is a Redmine (npm start -- --backend redmine): /agent, /wait and
// /resolve act on the person's newest issue with the agent's API key, as an agent would in Redmine's
// web pages; the poll cron then tells the person.
import type { LocalRedmine } from '../redmine/local-redmine.js';

export interface RedmineAgent {
  /** What the agent did, for the transcript; undefined when the person has no issue yet. */
  note(telegramUserId: number, change: { notes?: string; status?: string }): Promise<string | undefined>;
}

export function createRedmineAgent(redmine: LocalRedmine): RedmineAgent {
  const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${redmine.url}/${path}`, {
      method,
      headers: { 'x-redmine-api-key': redmine.agent_key, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`Redmine ${method} ${path.split('?')[0]} answered ${response.status}`);
    const text = await response.text();
    return text === '' ? null : JSON.parse(text);
  };
  return {
    async note(telegramUserId, change) {
      const list = (await call('GET', `issues.json?project_id=${redmine.project}&cf_${redmine.telegram_field_id}=${telegramUserId}&status_id=*&sort=id:desc&limit=1`)) as { issues: { id: number }[] };
      const newest = list.issues[0];
      if (newest === undefined) return undefined;
      let statusId: number | undefined;
      if (change.status !== undefined) {
        const statuses = (await call('GET', 'issue_statuses.json')) as { issue_statuses: { id: number; name: string }[] };
        statusId = statuses.issue_statuses.find((status) => status.name === change.status)?.id;
      }
      await call('PUT', `issues/${newest.id}.json`, { issue: { ...(change.notes !== undefined && { notes: change.notes }), ...(statusId !== undefined && { status_id: statusId }) } });
      return `redmine: the agent ${change.status === undefined ? 'noted on' : `set ${change.status} on`} #${newest.id}`;
    },
  };
}
