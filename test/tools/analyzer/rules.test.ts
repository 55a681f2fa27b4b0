import { describe, expect, test } from 'vitest';
import { isRuleId, RULE_IDS, RULES } from '../../../tools/analyzer/rules.js';

describe('rule catalogue', () => {
  test('every rule says what, why and how to fix, under its own id', () => {
    expect(RULE_IDS.sort()).toEqual(
      ['analyzer-ignore', 'await-in-loop', 'cache-bypass', 'client-per-request', 'json-in-loop', 'module-state', 'sync-io'].sort(),
    );
    for (const id of RULE_IDS) {
      const rule = RULES[id];
      expect(rule.id).toBe(id);
      expect(['error', 'warn', 'info']).toContain(rule.severity);
      expect(rule.summary.length).toBeGreaterThan(10);
      expect(rule.why.length).toBeGreaterThan(20);
      expect(rule.fix.length).toBeGreaterThan(20);
    }
    expect(RULES['client-per-request'].severity).toBe('error');
    expect(RULES['json-in-loop'].severity).toBe('info');
  });

  test('isRuleId', () => {
    expect(isRuleId('sync-io')).toBe(true);
    expect(isRuleId('toString')).toBe(false);
    expect(isRuleId('sync-oi')).toBe(false);
  });
});
