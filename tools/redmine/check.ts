/**
 * `npm run redmine:check -- --url https://redmine.example.com --key <bot's API key> --project <identifier> --field <id or name>`
 *
 * Says what a Redmine lacks before the bot can use it (the REST API off, a key that is not a user's,
 * no such project, no Telegram field, statuses the bot cannot map, sides without categories) and
 * prints the catalogue the bot will offer. Each option falls back on its REDMINE_* variable (.env).
 * Exit 0 when the bot can work with it, 1 otherwise. Reads only; changes nothing.
 */
import { parseArgs } from 'node:util';
import pino from 'pino';
import { createRedmineBackend } from '../../lib/backend/redmine/redmine-backend.js';
import { RedmineCustomFieldListSchema, RedmineStatusListSchema } from '../../lib/backend/redmine/redmine-schemas.js';
import { createStatusMap } from '../../lib/backend/redmine/status-map.js';
import { REQUEST_STATUSES } from '../../lib/backend/schemas.js';
import { createMemoryKvStore } from '../../lib/store/memory-kv-store.js';
import * as v from 'valibot';

const USAGE = 'usage: npm run redmine:check -- --url <Redmine URL> --key <API key> --project <identifier> --field <custom field id or name> [--status-map "Name=status,…"]';

interface Finding {
  readonly ok: boolean;
  readonly text: string;
}

export async function checkRedmine(options: { url: string; key: string; project: string; field: string; statusMap?: string }): Promise<{ findings: Finding[]; catalogue: string[] }> {
  const findings: Finding[] = [];
  const say = (ok: boolean, text: string) => findings.push({ ok, text });
  const headers = { 'x-redmine-api-key': options.key, accept: 'application/json' };
  const get = (path: string) => fetch(`${options.url.replace(/\/+$/, '')}/${path}`, { headers, signal: AbortSignal.timeout(10_000) });

  let me: Response;
  try {
    me = await get('users/current.json');
  } catch (error) {
    say(false, `Redmine does not answer at ${options.url}: ${error instanceof Error ? error.message : String(error)}`);
    return { findings, catalogue: [] };
  }
  if (me.status === 403) {
    say(false, 'The REST API is off: Administration → Settings → API → "Enable REST web service"');
    return { findings, catalogue: [] };
  }
  if (me.status === 401) {
    say(false, 'The API key is not a user\'s (or the user is locked): My account → API access key → Show');
    return { findings, catalogue: [] };
  }
  const user = ((await me.json()) as { user: { login: string; admin?: boolean } }).user;
  say(true, `REST API on; the key is ${user.login}'s${user.admin === true ? ' (an administrator: a user of the bot\'s own with the Manager role is enough)' : ''}`);

  const statusMap = Object.fromEntries(
    (options.statusMap ?? '').split(',').filter((pair) => pair.includes('=')).map((pair) => [pair.slice(0, pair.lastIndexOf('=')).trim(), pair.slice(pair.lastIndexOf('=') + 1).trim()]),
  );
  const statuses = v.parse(RedmineStatusListSchema, await (await get('issue_statuses.json')).json()).issue_statuses;
  const map = createStatusMap(statuses, statusMap);
  for (const status of map.unmapped) say(false, `Status "${status.name}" maps to none of the bot's (read as ${status.is_closed ? 'closed' : 'in progress'}): add it to REDMINE_STATUS_MAP, e.g. "${status.name}=in_progress"`);
  const missing = REQUEST_STATUSES.filter((status) => map.toRedmine(status) === undefined && status !== 'cancelled');
  if (missing.length > 0) say(false, `No Redmine status for the bot's ${missing.join(', ')}: name one so in REDMINE_STATUS_MAP`);
  if (map.toRedmine('cancelled') === undefined) say(true, 'No "Cancelled" status: a person\'s cancellation sets Rejected (add a closed status "Cancelled" to tell them apart)');
  if (map.unmapped.length === 0 && missing.length === 0) say(true, `Statuses: ${statuses.map((status) => `${status.name} → ${REQUEST_STATUSES.find((s) => map.toRedmine(s) === status.id) ?? map.toRequest(status.id)}`).join(', ')}`);

  const fields = await get('custom_fields.json');
  if (fields.ok) {
    const list = v.parse(RedmineCustomFieldListSchema, await fields.json()).custom_fields.filter((field) => field.customized_type === 'issue');
    const found = list.find((field) => String(field.id) === options.field.trim() || field.name.toLowerCase() === options.field.trim().toLowerCase());
    if (found === undefined) say(false, `No issue custom field "${options.field}": Administration → Custom fields → New (Issues, format Text, "Used as a filter", all trackers, for all projects)`);
    else if (found.is_filter === false) say(false, `Telegram field "${found.name}" (id ${found.id}) is not "Used as a filter": My requests cannot find a person's issues without it`);
    else say(true, `Telegram field: "${found.name}" (id ${found.id}); it must be enabled for the project's trackers`);
  } else if (!/^\d+$/.test(options.field.trim())) {
    say(false, 'The custom field list needs an administrator\'s key: give REDMINE_TELEGRAM_FIELD as the field\'s id');
  } else {
    say(true, `Telegram field id ${options.field} (not verified: the field list needs an administrator's key)`);
  }

  const backend = createRedmineBackend({
    url: options.url,
    apiKey: options.key,
    project: options.project,
    telegramField: options.field,
    statusMap,
    telegram: { apiRoot: 'https://api.telegram.org', token: 'unused' },
    store: createMemoryKvStore(),
    timeoutMs: 10_000,
    maxConnections: 2,
    slowCallMs: 10_000,
    logger: pino({ level: 'silent' }),
  });
  const catalogue: string[] = [];
  try {
    const tree = await backend.catalogue();
    if (tree.root.trackers.length === 0) say(false, `Project "${options.project}" has no tracker enabled: Settings → Issue tracking`);
    for (const tracker of tree.root.trackers) {
      catalogue.push(`${tracker.name} (request type ${tracker.id})`);
      for (const side of tree.sides.filter((project) => project.trackers.some((t) => t.id === tracker.id))) {
        catalogue.push(`  ${side.name} (side ${side.id}): ${side.issue_categories.map((category) => `${category.name} (${category.id})`).join(', ') || '— no category'}`);
      }
    }
    for (const side of tree.sides.filter((project) => project.issue_categories.length === 0)) say(false, `"${side.name}" has no issue category: Settings → Issue categories → New category (each is a service)`);
    say(true, `Project "${tree.root.name}": ${tree.sides.length === 1 && tree.sides[0] === tree.root ? 'no subprojects, the project is the one side' : `${tree.sides.length} subprojects as sides`}`);
  } catch (error) {
    say(false, `Project "${options.project}": ${error instanceof Error ? error.message : String(error)} (is the bot's user a member?)`);
  } finally {
    await backend.close();
  }
  return { findings, catalogue };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { url: { type: 'string' }, key: { type: 'string' }, project: { type: 'string' }, field: { type: 'string' }, 'status-map': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help === true) {
    console.log(USAGE);
    return 0;
  }
  const env = process.env;
  const url = values.url ?? env.REDMINE_URL;
  const key = values.key ?? env.REDMINE_API_KEY;
  const project = values.project ?? env.REDMINE_PROJECT;
  const field = values.field ?? env.REDMINE_TELEGRAM_FIELD;
  if (url === undefined || key === undefined || project === undefined || field === undefined) {
    console.error(`${USAGE}\n(or set REDMINE_URL, REDMINE_API_KEY, REDMINE_PROJECT and REDMINE_TELEGRAM_FIELD)`);
    return 2;
  }
  const { findings, catalogue } = await checkRedmine({ url, key, project, field, statusMap: values['status-map'] ?? env.REDMINE_STATUS_MAP });
  for (const finding of findings) console.log(`${finding.ok ? '✓' : '✗'} ${finding.text}`);
  if (catalogue.length > 0) console.log(`\nThe catalogue the bot will offer:\n${catalogue.map((line) => `  ${line}`).join('\n')}`);
  const problems = findings.filter((finding) => !finding.ok).length;
  console.log(problems === 0 ? '\nReady: the bot can use this Redmine.' : `\n${problems} thing(s) to fix before the bot can use this Redmine.`);
  return problems === 0 ? 0 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main();
