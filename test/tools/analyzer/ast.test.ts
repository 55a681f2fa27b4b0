import ts from 'typescript';
import { describe, expect, test } from 'vitest';
import {
  assignedIdentifiers,
  boundNames,
  calleeName,
  functionName,
  isFunctionNode,
  isShadowed,
  parseSource,
  positionOf,
  rootIdentifier,
  topLevelNames,
  unwrap,
} from '../../../tools/analyzer/ast.js';

function first<T extends ts.Node>(sourceFile: ts.SourceFile, guard: (node: ts.Node) => node is T): T {
  let found: T | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (guard(node)) found = node;
    else ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  if (!found) throw new Error('not found');
  return found;
}

describe('ast helpers', () => {
  test('calleeName, rootIdentifier, unwrap', () => {
    const sourceFile = parseSource('x.ts', "(a.b!.c as any)['run'](1);");
    const call = first(sourceFile, ts.isCallExpression);
    expect(calleeName(call)).toBe('run');
    expect(rootIdentifier(call.expression)?.text).toBe('a');
    const wrapped = first(parseSource('y.ts', '((x.y as T)! satisfies U);'), ts.isParenthesizedExpression);
    const inner = unwrap(wrapped);
    expect(ts.isPropertyAccessExpression(inner) && inner.name.text).toBe('y');
  });

  test('functionName from declarations, variables, properties and methods', () => {
    const names: (string | undefined)[] = [];
    const sourceFile = parseSource(
      'x.ts',
      'function a() {}\nconst b = () => {};\nconst o = { c: function () {}, d() {} };\nclass K { e = () => {}; constructor() {} }\nx.f = () => {};\n[() => {}];',
    );
    const visit = (node: ts.Node): void => {
      if (isFunctionNode(node)) names.push(functionName(node));
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
    expect(names).toEqual(['a', 'b', 'c', 'd', 'e', 'constructor', 'f', undefined]);
  });

  test('topLevelNames, boundNames, isShadowed', () => {
    const sourceFile = parseSource(
      'x.ts',
      "import d, { e as f } from 'm';\nimport * as ns from 'n';\nlet { a, b: [c] } = obj;\nfunction g(a) { return a; }\nclass H {}\nfunction k() { return a; }",
    );
    expect([...topLevelNames(sourceFile)].sort()).toEqual(['H', 'a', 'c', 'd', 'f', 'g', 'k', 'ns']);
    const returns: ts.ReturnStatement[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isReturnStatement(node)) returns.push(node);
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
    expect(isShadowed(returns[0] as ts.Node, 'a')).toBe(true);
    expect(isShadowed(returns[1] as ts.Node, 'a')).toBe(false);
    expect(boundNames(first(parseSource('y.ts', 'const { x, y: { z } } = o;'), ts.isVariableDeclaration).name)).toEqual(['x', 'z']);
  });

  test('assignedIdentifiers skips nested functions; positionOf is 1-based', () => {
    const sourceFile = parseSource('x.ts', 'while (c) {\n  a = 1; b++; obj.p = 2;\n  const f = () => { d = 3; };\n}');
    const loop = first(sourceFile, ts.isWhileStatement);
    expect([...assignedIdentifiers(loop.statement)].sort()).toEqual(['a', 'b']);
    expect(positionOf(sourceFile, first(sourceFile, ts.isExpressionStatement))).toEqual({ line: 2, column: 3 });
  });
});
