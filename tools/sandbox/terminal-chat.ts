// The chat on a terminal: a prompt for a person at a TTY (status notifications printed as they
// come), or a script read from stdin (each input echoed as `> line`, stopped at the first error).
import { clearLine, createInterface, cursorTo } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { renderEntries, type TranscriptEntry } from './render.js';
import type { Sandbox } from './sandbox.js';

export interface TerminalChatOptions {
  readonly input: Readable;
  readonly output: Writable;
  /** A person at a terminal: a prompt, notifications as they come, errors do not end the chat. */
  readonly interactive: boolean;
  /** `<b>` as ANSI bold (a terminal only). */
  readonly bold: boolean;
  /** Aborting ends the chat after the current step (Ctrl+C, SIGTERM). */
  readonly signal?: AbortSignal;
}

export interface TerminalChatResult {
  /** `/quit`, end of input or abort: the chat ended as asked. */
  readonly ended: 'quit' | 'end-of-input' | 'aborted' | 'error';
  /** Entries of kind `error` seen (a script stops at the first). */
  readonly errors: number;
}

export const QUIT = '/quit';

/** Runs the chat until `/quit`, the end of input, an abort, or (in a script) the first error. */
export async function runTerminalChat(sandbox: Sandbox, options: TerminalChatOptions): Promise<TerminalChatResult> {
  return options.interactive ? interactive(sandbox, options) : script(sandbox, options);
}

function printer(options: TerminalChatOptions) {
  return (entries: readonly TranscriptEntry[]) => {
    const lines = renderEntries(entries, { bold: options.bold });
    if (lines.length > 0) options.output.write(`${lines.join('\n')}\n`);
  };
}

const countErrors = (entries: readonly TranscriptEntry[]) => entries.filter((entry) => entry.kind === 'error').length;

async function script(sandbox: Sandbox, options: TerminalChatOptions): Promise<TerminalChatResult> {
  const print = printer(options);
  const rl = createInterface({ input: options.input, terminal: false, crlfDelay: Number.POSITIVE_INFINITY });
  const abort = () => rl.close();
  options.signal?.addEventListener('abort', abort, { once: true });
  let ended: TerminalChatResult['ended'] = 'end-of-input';
  let errors = 0;
  try {
    for await (const line of rl) {
      if (options.signal?.aborted) break;
      if (line.trim() === '') continue;
      options.output.write(`> ${line}\n`);
      if (line.trim() === QUIT) {
        ended = 'quit';
        break;
      }
      const entries = await sandbox.send(line).catch((error: unknown): TranscriptEntry[] => [{ kind: 'error', text: describe(error) }]);
      print(entries);
      errors += countErrors(entries);
      if (errors > 0) {
        ended = 'error';
        break;
      }
    }
  } finally {
    options.signal?.removeEventListener('abort', abort);
    rl.close();
  }
  if (options.signal?.aborted && ended === 'end-of-input') ended = 'aborted';
  // Anything that arrived after the last step (a status notification, a late error).
  const rest = sandbox.collect();
  print(rest);
  errors += countErrors(rest);
  return { ended: errors > 0 ? 'error' : ended, errors };
}

async function interactive(sandbox: Sandbox, options: TerminalChatOptions): Promise<TerminalChatResult> {
  const print = printer(options);
  const { output } = options;
  const rl = createInterface({ input: options.input, output, terminal: true, prompt: '> ', historySize: 200 });
  let busy = false;
  let errors = 0;
  // An object: the abort handler changes it behind the loop's back.
  const state: { ended: TerminalChatResult['ended'] } = { ended: 'end-of-input' };

  // A status notification while the person is typing: printed above the prompt, the typing kept.
  const showArrivals = () => {
    if (busy) return;
    const entries = sandbox.collect();
    if (entries.length === 0) return;
    errors += countErrors(entries);
    clearLine(output, 0);
    cursorTo(output, 0);
    print(entries);
    rl.prompt(true);
  };
  const stopListening = sandbox.onActivity(showArrivals);
  const abort = () => {
    state.ended = 'aborted';
    rl.close();
  };
  rl.on('SIGINT', abort);
  options.signal?.addEventListener('abort', abort, { once: true });

  rl.prompt();
  try {
    for await (const line of rl) {
      if (line.trim() === QUIT) {
        state.ended = 'quit';
        break;
      }
      busy = true;
      try {
        const entries = await sandbox.send(line).catch((error: unknown): TranscriptEntry[] => [{ kind: 'error', text: describe(error) }]);
        errors += countErrors(entries);
        print(entries);
      } finally {
        busy = false;
      }
      if (state.ended === 'aborted') break;
      showArrivals();
      rl.prompt();
    }
  } finally {
    stopListening();
    options.signal?.removeEventListener('abort', abort);
    rl.close();
  }
  output.write('\n');
  return { ended: state.ended, errors };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
