// The local Redmine that tools/redmine/setup.sh starts: its address and keys, from the state file the
// script writes (REDMINE_TEST_STATE names another). The tests, the sandbox and the bench read it.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface LocalRedmine {
  readonly url: string;
  readonly admin_key: string;
  readonly bot_key: string;
  readonly agent_key: string;
  readonly project: string;
  readonly telegram_field_id: number;
}

export function redmineStatePath(env: NodeJS.ProcessEnv = process.env): string {
  return env.REDMINE_TEST_STATE ?? join(env.XDG_STATE_HOME ?? join(homedir(), '.local', 'state'), 'service-desk-bot', 'redmine.json');
}

/** The local Redmine when its state file is there and it answers; undefined otherwise. */
export async function localRedmine(): Promise<LocalRedmine | undefined> {
  let state: LocalRedmine;
  try {
    state = JSON.parse(readFileSync(redmineStatePath(), 'utf8')) as LocalRedmine;
  } catch {
    return undefined;
  }
  try {
    const response = await fetch(`${state.url}/issue_statuses.json`, { headers: { 'x-redmine-api-key': state.bot_key }, signal: AbortSignal.timeout(3000) });
    return response.ok ? state : undefined;
  } catch {
    return undefined;
  }
}

/** The bot's environment for this Redmine (through `url`, e.g. a proxy in front of it). */
export function redmineEnv(redmine: LocalRedmine, url = redmine.url): Record<string, string> {
  return {
    BACKEND_KIND: 'redmine',
    REDMINE_URL: url,
    REDMINE_API_KEY: redmine.bot_key,
    REDMINE_PROJECT: redmine.project,
    REDMINE_TELEGRAM_FIELD: String(redmine.telegram_field_id),
  };
}
