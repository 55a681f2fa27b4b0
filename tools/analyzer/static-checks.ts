import { readFile } from 'node:fs/promises';
import path from 'node:path';
import ts from 'typescript';
import {
  assignedIdentifiers,
  calleeName,
  containsStatement,
  identifiersIn,
  incrementOperand,
  isAssignment,
  isFunctionNode,
  isLoopNode,
  isShadowed,
  parseSource,
  positionOf,
  receiverOf,
  rootIdentifier,
  topLevelNames,
  unwrap,
  type LoopNode,
} from './ast.js';
import { compareFindings, type Finding, type RuleId, type Severity, type SuppressedFinding } from './findings.js';
import {
  classifyFunction,
  collectEntryPoints,
  defaultExportNames,
  fileKindOf,
  type EntryPoint,
  type FileScope,
  type FunctionContext,
} from './per-request.js';
import { RULES } from './rules.js';
import { listSourceFiles } from './source-files.js';
import { applySuppressions, parseSuppressions } from './suppressions.js';

/**
 * The static checks: one `ts.createSourceFile` parse and one walk per file, no type checker.
 * Which code counts as per-request is defined in `per-request.ts`; the rules' texts are in `rules.ts`.
 */

/** `new X(...)` that builds a client, agent or pool (matched on the last name: `https.Agent` too). */
const CLIENT_CONSTRUCTORS = new Set([
  'Agent',
  'Pool',
  'BalancedPool',
  'ProxyAgent',
  'Redis',
  'Telegraf',
  'Ratelimit',
  'LRUCache',
]);
/** Plain or member calls that build a client. */
const CLIENT_FACTORIES = new Set(['createBackendClient', 'createApp', 'createLogger', 'pino']);
/** `receiver.method(...)` calls that build a client. */
const CLIENT_MEMBER_FACTORIES: ReadonlyArray<readonly [receiver: string, method: string]> = [
  ['ky', 'create'],
  ['ky', 'extend'],
  ['Redis', 'fromEnv'],
];

const SYNC_IO = new Set([
  'readFileSync',
  'writeFileSync',
  'appendFileSync',
  'existsSync',
  'statSync',
  'lstatSync',
  'readdirSync',
  'mkdirSync',
  'rmSync',
  'copyFileSync',
  'execSync',
  'execFileSync',
  'spawnSync',
  'pbkdf2Sync',
  'scryptSync',
  'generateKeyPairSync',
  'randomFillSync',
  'gzipSync',
  'gunzipSync',
  'deflateSync',
  'inflateSync',
  'deflateRawSync',
  'inflateRawSync',
  'brotliCompressSync',
  'brotliDecompressSync',
]);

const CATALOG_METHODS = new Set(['listRequestTypes', 'listSides', 'listServiceCategories']);
const BACKEND_FACTORY_CALLS = new Set(['createBackendClient', 'getBackendClient', 'getBackend']);

/** Awaits that are already the fix (batching) or deliberate waits (back-off, polling). */
const PROMISE_COMBINATORS = new Set(['all', 'allSettled', 'race', 'any']);
const DELIBERATE_WAITS = new Set(['sleep', 'delay', 'wait', 'pause', 'backoff', 'setTimeout', 'scheduler.wait']);

const MUTATING_METHODS = new Set([
  'set',
  'add',
  'delete',
  'clear',
  'push',
  'pop',
  'shift',
  'unshift',
  'splice',
  'sort',
  'reverse',
  'fill',
  'copyWithin',
]);

export interface FileCheckResult {
  readonly findings: Finding[];
  readonly suppressed: SuppressedFinding[];
  /** Functions classified as per-request code (see `per-request.ts`). */
  readonly perRequestFunctions: number;
}

export interface StaticCheckResult {
  readonly root: string;
  readonly filesChecked: number;
  readonly perRequestFunctions: number;
  readonly findings: Finding[];
  readonly suppressed: SuppressedFinding[];
  readonly durationMs: number;
}

/** Checks every analyzed file under `root` (see `source-files.ts`). */
export async function runStaticChecks(root: string): Promise<StaticCheckResult> {
  const started = performance.now();
  const files = await listSourceFiles(root);
  const sources: SourceText[] = [];
  for (const file of files) sources.push({ file, text: await readFile(path.join(root, file), 'utf8') });
  const result = checkProject(sources);
  return { root, filesChecked: files.length, ...result, durationMs: performance.now() - started };
}

export interface SourceText {
  /** Path relative to the root, with forward slashes (it decides api/, handlers, catalog). */
  readonly file: string;
  readonly text: string;
}

/** Checks a set of files together, so entry points found in one file (see `per-request.ts`) apply to another. */
export function checkProject(sources: readonly SourceText[]): FileCheckResult {
  const parsed = new Map<string, ts.SourceFile>();
  for (const { file, text } of sources) parsed.set(file, parseSource(file, text));
  const entries = collectEntryPoints(parsed);
  const findings: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  let perRequestFunctions = 0;
  for (const [file, sourceFile] of parsed) {
    const result = checkParsed(file, sourceFile, entries.get(file));
    findings.push(...result.findings);
    suppressed.push(...result.suppressed);
    perRequestFunctions += result.perRequestFunctions;
  }
  findings.sort(compareFindings);
  return { findings, suppressed, perRequestFunctions };
}

/** Checks one file on its own (no entry points from other files). */
export function checkSource(file: string, text: string): FileCheckResult {
  return checkProject([{ file, text }]);
}

function checkParsed(file: string, sourceFile: ts.SourceFile, entries: ReadonlyMap<string, EntryPoint> | undefined): FileCheckResult {
  const checker = new FileChecker(file, sourceFile, entries);
  const raw = checker.run();
  const result = applySuppressions(file, raw, parseSuppressions(sourceFile));
  result.findings.sort(compareFindings);
  return { ...result, perRequestFunctions: checker.perRequestFunctions };
}

interface LoopState {
  readonly node: LoopNode;
  readonly awaits: ts.AwaitExpression[];
  readonly jsonCalls: ts.CallExpression[];
}

interface ModuleBinding {
  readonly name: string;
  readonly declaration: ts.VariableDeclaration;
  readonly kind: 'let' | 'var' | 'const';
  /** Initialized with `new Map()`, `new Set()`, `[]`, `{}`...: its contents can be mutated. */
  readonly container: boolean;
  /** Initialized with `true`/`false`: a flag (e.g. "first update of this instance"). */
  readonly flag: boolean;
  readonly writes: { line: number; where: string }[];
}

class FileChecker {
  perRequestFunctions = 0;
  private readonly findings: Finding[] = [];
  private readonly scope: FileScope;
  private readonly moduleNames: Set<string>;
  private readonly bindings = new Map<string, ModuleBinding>();
  private readonly backendNames = new Set<string>();
  private readonly backendImports = new Set<string>();
  private readonly inCatalogModule: boolean;

  constructor(
    private readonly file: string,
    private readonly sourceFile: ts.SourceFile,
    entries: ReadonlyMap<string, EntryPoint> | undefined,
  ) {
    this.scope = { kind: fileKindOf(file), defaultExports: defaultExportNames(sourceFile), entries };
    this.moduleNames = topLevelNames(sourceFile);
    // The catalogue module is the cache in front of the backend; lib/backend/ is the client itself.
    this.inCatalogModule = /^lib\/(catalog|backend)(\/|\.[cm]?ts$)/.test(file);
  }

  run(): Finding[] {
    this.collectModuleBindings();
    this.collectBackendNames(this.sourceFile);
    for (const statement of this.sourceFile.statements) this.visit(statement, undefined, undefined);
    this.reportModuleState();
    return this.findings;
  }

  // ---- walk ----

  private visit(node: ts.Node, fn: FunctionContext | undefined, loop: LoopState | undefined): void {
    if (isFunctionNode(node)) {
      const context = classifyFunction(node, fn, this.scope);
      if (context.perRequest) this.perRequestFunctions += 1;
      ts.forEachChild(node, (child) => this.visit(child, context, undefined));
      return;
    }
    if (isLoopNode(node)) {
      const state: LoopState = { node, awaits: [], jsonCalls: [] };
      ts.forEachChild(node, (child) => this.visit(child, fn, child === node.statement ? state : loop));
      this.finishLoop(state, fn);
      return;
    }
    if (ts.isNewExpression(node) || ts.isCallExpression(node)) this.checkClientConstruction(node, fn);
    if (ts.isCallExpression(node)) {
      this.checkSyncIo(node, fn);
      this.checkCacheBypass(node, fn);
      if (loop && fn?.perRequest && isJsonCall(node)) loop.jsonCalls.push(node);
      if (fn?.perRequest) this.checkContainerMutationCall(node, fn);
    }
    if (ts.isAwaitExpression(node) && loop) loop.awaits.push(node);
    if (fn?.perRequest) this.checkModuleWrite(node, fn);
    ts.forEachChild(node, (child) => this.visit(child, fn, loop));
  }

  // ---- client-per-request ----

  private checkClientConstruction(node: ts.NewExpression | ts.CallExpression, fn: FunctionContext | undefined): void {
    if (!fn?.perRequest || !isClientConstruction(node)) return;
    if (this.isMemoizedConstruction(node)) return;
    const what = `${ts.isNewExpression(node) ? 'new ' : ''}${node.expression.getText(this.sourceFile)}(...)`;
    this.add(node, 'client-per-request', `${what} runs in per-request code (${describe(fn)}): ${RULES['client-per-request'].why}`);
  }

  /**
   * The memoized-factory shapes: `x ??= new X()`, `x ||= ...`, `if (!x) x = ...` with `x` in module
   * scope, and `cache.set(key, new X())` on a module-scope map.
   */
  private isMemoizedConstruction(node: ts.Expression): boolean {
    let current: ts.Node = node;
    while (
      ts.isParenthesizedExpression(current.parent) ||
      ts.isAsExpression(current.parent) ||
      ts.isSatisfiesExpression(current.parent) ||
      ts.isNonNullExpression(current.parent) ||
      ts.isAwaitExpression(current.parent)
    ) {
      current = current.parent;
    }
    const parent = current.parent;
    if (isAssignment(parent) && parent.right === current) {
      const root = rootIdentifier(parent.left);
      if (!root || !this.isModuleName(root)) return false;
      const operator = parent.operatorToken.kind;
      if (operator === ts.SyntaxKind.QuestionQuestionEqualsToken || operator === ts.SyntaxKind.BarBarEqualsToken) return true;
      return operator === ts.SyntaxKind.EqualsToken && isGuardedBy(parent, root.text);
    }
    if (ts.isCallExpression(parent) && calleeName(parent) === 'set' && parent.arguments[1] === current) {
      const receiver = receiverOf(parent);
      const root = receiver ? rootIdentifier(receiver) : undefined;
      return root !== undefined && this.isModuleName(root);
    }
    return false;
  }

  private isModuleName(identifier: ts.Identifier): boolean {
    return this.moduleNames.has(identifier.text) && !isShadowed(identifier, identifier.text);
  }

  // ---- sync-io ----

  private checkSyncIo(node: ts.CallExpression, fn: FunctionContext | undefined): void {
    const name = calleeName(node);
    if (!fn?.perRequest || name === undefined || !SYNC_IO.has(name)) return;
    this.add(node, 'sync-io', `${name}() runs in per-request code (${describe(fn)}): ${RULES['sync-io'].why}`);
  }

  // ---- cache-bypass ----

  private collectBackendNames(root: ts.Node): void {
    const visit = (node: ts.Node): void => {
      if ((ts.isVariableDeclaration(node) || ts.isParameter(node) || ts.isPropertyDeclaration(node)) && ts.isIdentifier(node.name)) {
        const typeText = node.type?.getText(this.sourceFile) ?? '';
        const initializer = node.initializer ? unwrap(node.initializer) : undefined;
        const created =
          initializer !== undefined &&
          (ts.isCallExpression(initializer) || ts.isAwaitExpression(initializer)) &&
          isBackendFactoryCall(initializer);
        if (/\bBackendClient\b/.test(typeText) || created) this.backendNames.add(node.name.text);
      }
      if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && /backend/i.test(node.moduleSpecifier.text)) {
        const bindings = node.importClause?.namedBindings;
        if (bindings && ts.isNamedImports(bindings)) {
          for (const element of bindings.elements) this.backendImports.add(element.name.text);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(root);
  }

  private checkCacheBypass(node: ts.CallExpression, fn: FunctionContext | undefined): void {
    const name = calleeName(node);
    if (this.inCatalogModule || name === undefined || !CATALOG_METHODS.has(name)) return;
    const receiver = receiverOf(node);
    if (receiver) {
      const text = receiver.getText(this.sourceFile);
      if (/catalog|cache/i.test(text)) return;
      const root = rootIdentifier(receiver);
      const segments = text.split(/[.?!\s[\]()]+/).filter(Boolean);
      const looksLikeBackend =
        /backend|client/i.test(text) ||
        segments.some((segment) => segment.toLowerCase() === 'api') ||
        (root !== undefined && this.backendNames.has(root.text));
      if (!looksLikeBackend) return;
      this.add(
        node,
        'cache-bypass',
        `${text}.${name}() calls the backend directly${fn?.perRequest ? ` in per-request code (${describe(fn)})` : ''}: ${RULES['cache-bypass'].why}`,
      );
    } else if (this.backendImports.has(name)) {
      this.add(node, 'cache-bypass', `${name}() (imported from a backend module) calls the backend directly: ${RULES['cache-bypass'].why}`);
    }
  }

  // ---- await-in-loop, json-in-loop ----

  private finishLoop(loop: LoopState, fn: FunctionContext | undefined): void {
    const loopLine = positionOf(this.sourceFile, loop.node).line;
    const awaited = loop.awaits.filter((a) => isAwaitedCall(a));
    if (awaited.length > 0 && !isSequentialByDesign(loop.node)) {
      const first = awaited[0] as ts.AwaitExpression;
      const call = unwrap(first.expression) as ts.CallExpression;
      const callText = `${call.expression.getText(this.sourceFile)}(...)`;
      const count = awaited.length === 1 ? 'an awaited call' : `${awaited.length} awaited calls`;
      const where = fn?.perRequest ? ` in per-request code (${describe(fn)})` : '';
      this.add(
        first,
        'await-in-loop',
        `${count} (first: ${callText}) inside the body of the ${loopKind(loop.node)} loop on line ${loopLine}${where}: ${RULES['await-in-loop'].why}`,
        fn?.perRequest ? 'warn' : 'info',
        [loopLine],
      );
    }
    const json = loop.jsonCalls[0];
    if (json) {
      this.add(
        json,
        'json-in-loop',
        `${json.expression.getText(this.sourceFile)}() inside the ${loopKind(loop.node)} loop on line ${loopLine} in per-request code (${describe(fn)}): ${RULES['json-in-loop'].why}`,
        undefined,
        [loopLine],
      );
    }
  }

  // ---- module-state ----

  private collectModuleBindings(): void {
    for (const statement of this.sourceFile.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      if (statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword)) continue;
      const flags = statement.declarationList.flags;
      const kind = flags & ts.NodeFlags.Let ? 'let' : flags & ts.NodeFlags.Const ? 'const' : flags & ts.NodeFlags.Using ? 'const' : 'var';
      for (const declaration of statement.declarationList.declarations) {
        if (!ts.isIdentifier(declaration.name)) continue;
        const initializer = declaration.initializer ? unwrap(declaration.initializer) : undefined;
        const container = initializer !== undefined && isContainerLiteral(initializer);
        const flag =
          initializer !== undefined &&
          (initializer.kind === ts.SyntaxKind.TrueKeyword || initializer.kind === ts.SyntaxKind.FalseKeyword);
        if (kind === 'const' && !container) continue;
        this.bindings.set(declaration.name.text, { name: declaration.name.text, declaration, kind, container, flag, writes: [] });
      }
    }
  }

  private binding(expression: ts.Expression): ModuleBinding | undefined {
    const root = rootIdentifier(expression);
    if (!root) return undefined;
    const binding = this.bindings.get(root.text);
    if (!binding || isShadowed(root, root.text)) return undefined;
    return binding;
  }

  private recordWrite(binding: ModuleBinding, node: ts.Node, fn: FunctionContext): void {
    binding.writes.push({ line: positionOf(this.sourceFile, node).line, where: describe(fn) });
  }

  /** Reassignments of module `let`s and writes into module containers (`x.a = 1`, `x[k]++`, `delete x[k]`). */
  private checkModuleWrite(node: ts.Node, fn: FunctionContext): void {
    let target: ts.Expression | undefined;
    let assignment: ts.BinaryExpression | undefined;
    if (isAssignment(node)) {
      target = unwrap(node.left);
      assignment = node;
    } else if (incrementOperand(node)) {
      target = unwrap(incrementOperand(node) as ts.Expression);
    } else if (ts.isDeleteExpression(node)) {
      target = unwrap(node.expression);
    }
    if (!target) return;
    const binding = this.binding(target);
    if (!binding) return;
    if (ts.isIdentifier(target)) {
      if (binding.kind === 'const') return;
      if (assignment && isLazyInit(assignment, binding.name)) return;
      if (assignment && binding.flag && isBooleanLiteral(assignment.right)) return;
      this.recordWrite(binding, node, fn);
    } else if (binding.container) {
      this.recordWrite(binding, node, fn);
    }
  }

  /** `x.set(...)`, `x.push(...)`, `Object.assign(x, ...)` on a module container. */
  private checkContainerMutationCall(node: ts.CallExpression, fn: FunctionContext): void {
    const name = calleeName(node);
    if (name === undefined) return;
    const receiver = receiverOf(node);
    if (name === 'assign' && receiver && ts.isIdentifier(unwrap(receiver)) && unwrap(receiver).getText(this.sourceFile) === 'Object') {
      const first = node.arguments[0];
      const binding = first ? this.binding(first) : undefined;
      if (binding?.container) this.recordWrite(binding, node, fn);
      return;
    }
    if (!receiver || !MUTATING_METHODS.has(name)) return;
    const binding = this.binding(receiver);
    if (!binding?.container) return;
    const value = node.arguments[1];
    if (name === 'set' && value && isClientConstruction(unwrap(value))) return; // memoized per key
    this.recordWrite(binding, node, fn);
  }

  private reportModuleState(): void {
    for (const binding of this.bindings.values()) {
      if (binding.writes.length === 0) continue;
      const sites = binding.writes
        .slice(0, 3)
        .map((write) => `line ${write.line} (${write.where})`)
        .join(', ');
      const more = binding.writes.length > 3 ? ` and ${binding.writes.length - 3} more` : '';
      const what = binding.container ? `module-scope ${binding.kind} ${binding.name} (a shared container)` : `module-scope ${binding.kind} ${binding.name}`;
      this.add(
        binding.declaration,
        'module-state',
        `${what} is written by per-request code at ${sites}${more}: ${RULES['module-state'].why}`,
      );
    }
  }

  private add(node: ts.Node, rule: RuleId, message: string, severity?: Severity, anchorLines?: number[]): void {
    const { line, column } = positionOf(this.sourceFile, node);
    const finding: Finding = {
      rule,
      severity: severity ?? RULES[rule].severity,
      file: this.file,
      line,
      column,
      message,
      fix: RULES[rule].fix,
      ...(anchorLines && anchorLines.some((l) => l !== line) ? { anchorLines } : {}),
    };
    this.findings.push(finding);
  }
}

function describe(fn: FunctionContext | undefined): string {
  if (!fn) return 'module scope';
  return fn.name ? `${fn.name}: ${fn.reason}` : fn.reason;
}

function isClientConstruction(node: ts.Node): node is ts.NewExpression | ts.CallExpression {
  if (ts.isNewExpression(node)) {
    const name = calleeName(node);
    return name !== undefined && CLIENT_CONSTRUCTORS.has(name);
  }
  if (!ts.isCallExpression(node)) return false;
  const name = calleeName(node);
  if (name === undefined) return false;
  const receiver = receiverOf(node);
  const receiverName = receiver ? rootIdentifier(receiver)?.text : undefined;
  if (CLIENT_FACTORIES.has(name)) return true;
  return CLIENT_MEMBER_FACTORIES.some(([r, m]) => r === receiverName && m === name && receiver !== undefined && ts.isIdentifier(unwrap(receiver)));
}

function isBackendFactoryCall(node: ts.Expression): boolean {
  const expression = ts.isAwaitExpression(node) ? unwrap(node.expression) : node;
  return ts.isCallExpression(expression) && BACKEND_FACTORY_CALLS.has(calleeName(expression) ?? '');
}

function isContainerLiteral(node: ts.Expression): boolean {
  if (ts.isArrayLiteralExpression(node) || ts.isObjectLiteralExpression(node)) return true;
  if (ts.isNewExpression(node)) return ['Map', 'Set', 'Array'].includes(calleeName(node) ?? '');
  if (ts.isCallExpression(node)) {
    const receiver = receiverOf(node);
    return calleeName(node) === 'create' && receiver !== undefined && receiver.getText() === 'Object';
  }
  return false;
}

function isBooleanLiteral(node: ts.Expression): boolean {
  const expression = unwrap(node);
  return expression.kind === ts.SyntaxKind.TrueKeyword || expression.kind === ts.SyntaxKind.FalseKeyword;
}

function isJsonCall(node: ts.CallExpression): boolean {
  const callee = unwrap(node.expression);
  return (
    ts.isPropertyAccessExpression(callee) &&
    ts.isIdentifier(callee.expression) &&
    callee.expression.text === 'JSON' &&
    (callee.name.text === 'parse' || callee.name.text === 'stringify')
  );
}

/** `x ??= v`, `x ||= v`, or `x = v` under `if (!x)` / `x === undefined ? ... : ...`: a lazy initialization. */
function isLazyInit(assignment: ts.BinaryExpression, name: string): boolean {
  const operator = assignment.operatorToken.kind;
  if (operator === ts.SyntaxKind.QuestionQuestionEqualsToken || operator === ts.SyntaxKind.BarBarEqualsToken) return true;
  return operator === ts.SyntaxKind.EqualsToken && isGuardedBy(assignment, name);
}

/** True when `node` sits in the branch of an `if`/`?:` (in the same function) whose condition reads `name`. */
function isGuardedBy(node: ts.Node, name: string): boolean {
  for (let current: ts.Node = node; current.parent && !isFunctionNode(current); current = current.parent) {
    const parent = current.parent;
    if (ts.isIfStatement(parent) && parent.thenStatement === current && identifiersIn(parent.expression).has(name)) return true;
    if (ts.isConditionalExpression(parent) && parent.condition !== current && identifiersIn(parent.condition).has(name)) return true;
    if (
      ts.isBinaryExpression(parent) &&
      parent.right === current &&
      [ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.AmpersandAmpersandToken].includes(
        parent.operatorToken.kind,
      ) &&
      identifiersIn(parent.left).has(name)
    ) {
      return true;
    }
  }
  return false;
}

/** An awaited call that could run in parallel: not `Promise.all(...)` (already batched) nor `sleep(...)`. */
function isAwaitedCall(node: ts.AwaitExpression): boolean {
  const expression = unwrap(node.expression);
  if (!ts.isCallExpression(expression)) return false;
  const name = calleeName(expression) ?? '';
  const receiver = receiverOf(expression);
  if (receiver && ts.isIdentifier(unwrap(receiver)) && (unwrap(receiver) as ts.Identifier).text === 'Promise' && PROMISE_COMBINATORS.has(name)) {
    return false;
  }
  return !DELIBERATE_WAITS.has(name);
}

/**
 * Loops whose iterations must run one after another: they leave early (`return` in the body: a
 * retry or search loop), they poll (`while (true)` with a `break`), or their condition depends on
 * what the body computes (`while (cursor) { ...; cursor = page.next }`: pagination).
 */
function isSequentialByDesign(loop: LoopNode): boolean {
  if (containsStatement(loop.statement, ts.SyntaxKind.ReturnStatement)) return true;
  if (ts.isForOfStatement(loop) || ts.isForInStatement(loop)) return false;
  const condition = loop.kind === ts.SyntaxKind.ForStatement ? loop.condition : loop.expression;
  const constantTrue = condition === undefined || unwrap(condition).kind === ts.SyntaxKind.TrueKeyword;
  if (constantTrue && containsStatement(loop.statement, ts.SyntaxKind.BreakStatement)) return true;
  const controlling = identifiersIn(condition);
  if (ts.isForStatement(loop)) for (const name of identifiersIn(loop.incrementor)) controlling.add(name);
  for (const name of assignedIdentifiers(loop.statement)) if (controlling.has(name)) return true;
  return false;
}

function loopKind(loop: LoopNode): string {
  if (ts.isForOfStatement(loop)) return loop.awaitModifier ? 'for await...of' : 'for...of';
  if (ts.isForInStatement(loop)) return 'for...in';
  if (ts.isWhileStatement(loop)) return 'while';
  if (ts.isDoStatement(loop)) return 'do...while';
  return 'for';
}
