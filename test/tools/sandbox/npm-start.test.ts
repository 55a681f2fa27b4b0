import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `npm start` as a person pipes a script into it: no token, no Redis, no LOG_LEVEL. */
function runSandbox(script: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extraEnv };
  for (const name of ['TELEGRAM_BOT_TOKEN', 'LOG_LEVEL', 'UPSTASH_REDIS_REST_URL', 'UPSTASH_REDIS_REST_TOKEN', 'KV_REST_API_URL', 'KV_REST_API_TOKEN']) {
    delete env[name];
  }
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['tsx', 'tools/sandbox/main.ts'], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(script);
  });
}

describe('npm start', () => {
  test('a piped script opens a request and finds it under My requests', async () => {
    // Buttons as the demo catalogue numbers them: New request, Repair, Individual, Plumbing,
    // Skip (photo), Confirm, then My requests on the menu shown after confirming.
    const script = ['/start', '1', '1', '1', '1', 'The kitchen tap drips all night long', '1', '/contact', '1', '2', ''].join('\n');
    const run = await runSandbox(script);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('no Telegram token and no network');
    expect(run.stdout).toContain('> The kitchen tap drips all night long');
    const number = /Your request (SR-\d+) has been created/.exec(run.stdout)?.[1];
    expect(number).toBeDefined();
    const myRequests = run.stdout.slice(run.stdout.lastIndexOf('> 2\n'));
    expect(myRequests).toContain('Your latest requests');
    expect(myRequests).toContain(`${number} · New · Plumbing`);
    expect(run.stdout).not.toContain('<b>');
    expect(run.stdout).not.toContain('\u001b[');
  });

  test("an agent's edit and a reminder, in English then in Russian: /agent, /agentedit, /wait, /remind, /swipe", async () => {
    const script = [
      '/start', '1', '1', '1', '1', 'The kitchen tap drips all night long', '1', '/contact', '1',
      '/agent Which floor is it on?', '/agentedit Which floor and which flat is it?', '/wait', '/remind', '/remind',
      '/swipe Third floor, flat 12', '/language', '2', '/agent Спасибо! Во сколько удобно?', '/agentedit Спасибо! Во сколько вам удобно завтра?', '/wait', '/remind', '',
    ].join('\n');
    const run = await runSandbox(script);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const number = /Your request (SR-\d+) has been created/.exec(run.stdout)?.[1] ?? 'SR-?';
    const step = (input: string) => {
      const from = run.stdout.indexOf(`> ${input}\n`);
      expect(from, input).toBeGreaterThanOrEqual(0);
      const next = run.stdout.indexOf('\n> ', from + 1);
      return run.stdout.slice(from, next === -1 ? undefined : next);
    };
    expect(step('/agentedit Which floor and which flat is it?')).toContain('bot (edited): 💬 Sam (service desk) on your request');
    expect(step('/agentedit Which floor and which flat is it?')).toContain('Which floor and which flat is it?');
    expect(step('/wait')).toContain('Waiting for you');
    const reminded = step('/remind');
    expect(reminded).toContain('sent 1 reminder(s)');
    expect(reminded).toContain(`⏳ ${number} is waiting for your answer.`);
    expect(reminded).toContain('[1] ↩️ Reply  [2] 🔎 View');
    expect(run.stdout.match(/waiting for your answer/g)).toHaveLength(1);
    expect(step('/swipe Third floor, flat 12')).toContain(`Added to ${number}`);
    const russian = run.stdout.slice(run.stdout.indexOf('> /language'));
    expect(russian).toContain('bot (edited): 💬 Sam (service desk) по вашей заявке');
    expect(russian).toContain('Спасибо! Во сколько вам удобно завтра?');
    expect(russian).toContain(`⏳ Заявка ${number} ждёт вашего ответа.`);
    expect(russian).toContain('[1] ↩️ Ответить  [2] 🔎 Открыть');
  });

  // "Yes, cancel it" is the cancellation: a person who walks away without a reason has no open request.
  test.each([
    ['en', [], 'Your request (SR-\\d+) has been created', 'Cancelled', 'Skip ⏭'],
    ['ru', ['/language', '2'], 'Заявка (SR-\\d+) создана', 'Отменена', 'Пропустить ⏭'],
  ])('%s: Yes, cancel it cancels at the tap', async (_lang, prelude, created, cancelled, skip) => {
    const script = [...prelude, '/new', '1', '1', '1', 'The kitchen tap drips all night long', '1', skip, '1', '/my', '1', '2', '1', '/my', ''].join('\n');
    const run = await runSandbox(script);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const number = new RegExp(created).exec(run.stdout)?.[1];
    expect(number).toBeDefined();
    const last = run.stdout.slice(run.stdout.lastIndexOf('> /my\n'));
    expect(last).toContain(`${number} · ${cancelled} · `);
  });

  test.each([
    ['en', [], '📱 Open the app'],
    ['ru', ['/language', '2'], '📱 Открыть приложение'],
  ])('%s: the Mini App: its signed URL in the banner, and the menu\'s app button names it', async (_lang, prelude, label) => {
    const run = await runSandbox([...prelude, '/start', '4', ''].join('\n'));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const url = /\n {12}(http:\/\/127\.0\.0\.1:\d+\/app#tgWebAppData=\S+)\n/.exec(run.stdout)?.[1];
    expect(url).toBeDefined();
    expect(new URLSearchParams(new URL(url as string).hash.slice(1)).get('tgWebAppData')).toMatch(/hash=[0-9a-f]{64}$/);
    expect(run.stdout).toContain(`[4] ${label} ↗`);
    expect(run.stdout).toContain(`button [4] opens the Mini App; in a browser: ${url}`);
  });

  test('a button number that does not exist stops the script with exit code 1', async () => {
    const run = await runSandbox('/start\n9\n/my\n');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('!! there is no button [9]');
    expect(run.stdout).not.toContain('> /my');
    expect(run.stderr).toContain('stopped at the first error');
  });
});

/** The same script in Russian: `/language` and Русский first. */
const inRussian = (script: string) => `/language\n2\n${script}`;

/** What the bot answered to the script's last line. */
function answerToLast(run: Run, lastLine: string): string {
  return run.stdout.slice(run.stdout.lastIndexOf(`> ${lastLine}\n`));
}

describe('npm start: the issue\'s scripts end as a person expects', () => {
  test.each([
    ['en', 'You have a request in progress (Repair · Plumbing).', '▶️ Continue', '🗑 Discard'],
    ['ru', 'У вас есть незаконченная заявка (', '▶️ Продолжить', '🗑 Удалить'],
  ])('a message with the greeting on screen does not become the parked draft\'s description (%s)', async (lang, parked, go, drop) => {
    const script = '/new\n1\n1\n1\n/start\nThe kitchen tap drips all night long\n';
    const run = await runSandbox(lang === 'ru' ? inRussian(script) : script);
    expect(run.code).toBe(0);
    const answer = answerToLast(run, 'The kitchen tap drips all night long');
    expect(answer).toContain(parked);
    expect(answer).toContain(go);
    expect(answer).toContain(drop);
    expect(answer).not.toMatch(/photo|фото/);
  });

  test.each([
    ['en', 'This button is out of date. Here is where you are.', 'Can we call you?', '⌨ [⬅️ Back]'],
    ['ru', 'Эта кнопка устарела. Вот где вы сейчас.', 'Можно вам позвонить?', '⌨ [⬅️ Назад]'],
  ])('the photo prompt’s Back and Skip on the phone step answer and show the phone step, which has its own Back (%s)', async (lang, outdated, phone, back) => {
    const script = '/new\n1\n1\n1\nThe kitchen tap drips all night long\n1\n2\n1\n';
    const run = await runSandbox(lang === 'ru' ? inRussian(script) : script);
    expect(run.code).toBe(0);
    const afterBack = run.stdout.slice(run.stdout.lastIndexOf('> 2\n'), run.stdout.lastIndexOf('> 1\n'));
    const afterSkip = answerToLast(run, '1');
    for (const answer of [afterBack, afterSkip]) {
      expect(answer).toContain(`[toast] ${outdated}`);
      expect(answer).toContain(phone);
      expect(answer).toContain(back);
    }
  });

  test.each([
    ['en', 'Cancelled. Nothing was sent.'],
    ['ru', 'Отменено. Ничего не отправлено.'],
  ])('Cancel on the side list cancels what was begun (%s)', async (lang, cancelled) => {
    const script = '/new\n1\n4\n';
    const run = await runSandbox(lang === 'ru' ? inRussian(script) : script);
    expect(run.code).toBe(0);
    expect(answerToLast(run, '4')).toContain(`bot (edited): ${cancelled}`);
  });

  test.each([
    ['en', { search: '/new plumb', page: 'page 2 of 2', hit: '[2] Repair · Business · Plumbing', step: 'Plumbing\n    Step 4 of 4', ask: 'Replace the description with this?', kept: 'OK, the cache is kept.', list: 'Step 3 of 4' }],
    ['ru', { search: '/new сантех', page: 'страница 2 из 2', hit: '[2] Ремонт · Организация · Сантехника', step: 'Сантехника\n    Шаг 4 из 4', ask: 'Заменить описание этим?', kept: 'Хорошо, кэш не тронут.', list: 'Шаг 3 из 4' }],
  ])('Back keeps the page, /new <words> finds, text at the summary asks, admin screens ask and go back (%s)', async (lang, t) => {
    const script = [
      '/new', '1', '1', '9', '3', '1', // a service on page 2, then Back: that page again
      t.search, '2', // two hits; the second opens its description step
      'The kitchen tap drips all night long', '1', 'skip', // the summary
      'Actually the bathroom tap drips', '1', // replace the description? Yes
      '/cache_clear', '2', // Keep
      '/link', '1', '1', '1', '2', // Back from the location step
      '',
    ].join('\n');
    const run = await runSandbox(lang === 'ru' ? inRussian(script) : script);
    expect(run.code).toBe(0);
    // What the bot answered to each line of the script, in order (the Russian prefix dropped).
    const answers = run.stdout.split(/^> .*$/m).slice(lang === 'ru' ? 3 : 1);
    const after = (line: number) => answers[line] ?? '';
    expect(after(5)).toContain(t.page);
    expect(after(6)).toContain(t.hit);
    expect(after(7)).toContain(t.step);
    expect(after(11)).toContain(t.ask);
    expect(after(12)).toContain('Actually the bathroom tap drips');
    expect(after(14)).toContain(t.kept);
    expect(after(19)).toContain(t.list);
  });

  test.each([
    ['en', ['swipe', 'Cancel request', 'Still a problem', '/new plumbing', 'QR', 'Open the app']],
    ['ru', ['смахните', 'Отменить заявку', 'Проблема осталась', '/new сантехника', 'QR', 'Открыть приложение']],
  ])('/help tells everything a person can do, the sandbox\'s Mini App included (%s)', async (lang, words) => {
    const run = await runSandbox(lang === 'ru' ? inRussian('/help\n') : '/help\n');
    expect(run.code).toBe(0);
    const answer = answerToLast(run, '/help');
    for (const word of words) expect(answer, word).toContain(word);
  });

  test.each([
    ['en', 'Created'],
    ['ru', 'Создана'],
  ])('TIME_ZONE=Asia/Almaty: the details show the time there, named (%s)', async (lang, created) => {
    const script = '/new\n1\n1\n1\nThe kitchen tap drips all night long\n1\nskip\n1\n/my\n1\n';
    const run = await runSandbox(lang === 'ru' ? inRussian(script) : script, { TIME_ZONE: 'Asia/Almaty' });
    expect(run.code).toBe(0);
    const details = answerToLast(run, '1');
    expect(details).toContain(created);
    expect(details).toMatch(/\d\d:\d\d GMT\+5/);
    expect(details).not.toContain('UTC');
  });

  test.each([
    ['en', { added: 'Added to SR-1001', nothingAdded: 'OK, nothing was added.', details: 'Request SR-1001', holds: 'Request SR-1001 is Resolved', solved: '✅ Solved' }],
    ['ru', { added: 'Добавлено к заявке SR-1001', nothingAdded: 'Хорошо, ничего не добавлено.', details: 'Заявка SR-1001', holds: 'Заявка SR-1001: Решена', solved: '✅ Решено' }],
  ])('a swipe on the created message comments; Cancel in Add comment returns to the details; Never mind brings the notification back (%s)', async (lang, t) => {
    const script = [
      '/new', '1', '1', '1', 'The kitchen tap drips all night long', '1', 'skip', '1', // submitted: SR-1001
      '/swipe One more thing: it is the kitchen',
      '/my', '1', '1', '1', // details, Add comment, Cancel
      '/advance', '/resolve', '3', '1', // Still a problem, Never mind
      '',
    ].join('\n');
    const run = await runSandbox(lang === 'ru' ? inRussian(script) : script);
    expect(run.code).toBe(0);
    const answers = run.stdout.split(/^> .*$/m).slice(lang === 'ru' ? 3 : 1);
    const after = (line: number) => answers[line] ?? '';
    expect(after(8)).toContain(t.added);
    expect(after(12)).toContain(t.nothingAdded);
    expect(after(12)).toContain(t.details);
    expect(after(16)).toContain(t.holds);
    expect(after(16)).toContain(t.solved);
  });

  test.each([
    ['en', 'You have a request in progress (Repair · Plumbing).'],
    ['ru', 'У вас есть незаконченная заявка ('],
  ])('a notification below the description step parks the draft: the next message is not its description (%s)', async (lang, parked) => {
    const script = [
      '/new', '1', '1', '1', 'The kitchen tap drips all night long', '1', 'skip', '1', // SR-1001
      '/new', '1', '1', '1', // the description step of a second request
      '/advance', // SR-1001 is now in progress: the notification arrives below the prompt
      'The bathroom tap drips too',
      '',
    ].join('\n');
    const run = await runSandbox(lang === 'ru' ? inRussian(script) : script);
    expect(run.code).toBe(0);
    const answer = answerToLast(run, 'The bathroom tap drips too');
    expect(answer).toContain(parked);
    expect(answer).not.toMatch(/photo|фото/);
  });
});

describe('npm start: every kind of message (issue 17)', () => {
  test.each([
    ['en', { edited: '✏️ Description updated.', file: '📎 File added.', geo: '🗺 Location added: Central Station', files: 'Files: 1', created: 'has been created' }],
    ['ru', { edited: '✏️ Описание изменено.', file: '📎 Файл добавлен.', geo: '🗺 Место на карте добавлено: Central Station', files: 'Файлы: 1', created: 'создана' }],
  ])('an edited description, a voice message with its caption and a venue reach the request (%s)', async (lang, t) => {
    const script = [
      '/new', '1', '1', '1', 'The kitchen tap drips all night long',
      '/edit The bathroom tap drips all night long', '/voice listen to the drip', '/location Central Station', 'skip', '1', '',
    ].join('\n');
    const run = await runSandbox(lang === 'ru' ? inRussian(script) : script);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(answerToLast(run, '/edit The bathroom tap drips all night long')).toContain(t.edited);
    expect(answerToLast(run, '/voice listen to the drip')).toContain(t.file);
    expect(answerToLast(run, '/location Central Station')).toContain(t.geo);
    const summary = answerToLast(run, 'skip');
    expect(summary).toContain('The bathroom tap drips all night long\n    listen to the drip');
    expect(summary).toContain(t.files);
    expect(summary).toContain('🗺 Central Station');
    expect(answerToLast(run, '1')).toContain(t.created);
  });
});
