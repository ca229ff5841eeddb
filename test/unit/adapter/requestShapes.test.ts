import assert from 'node:assert/strict';
import { test } from 'node:test';
import { argumentsProblem } from '../../../src/adapter/requestShapes.js';

test('arguments that fit the specification pass', () => {
  assert.equal(argumentsProblem('setBreakpoints', { source: { path: '/a.go' }, breakpoints: [{ line: 3, condition: 'i > 1' }] }), undefined);
  assert.equal(argumentsProblem('evaluate', { expression: 'x', context: 'watch' }), undefined);
  assert.equal(argumentsProblem('threads', undefined), undefined);
  assert.equal(argumentsProblem('launch', { program: '.', anything: [1, 2] }), undefined, 'launch arguments are free-form');
});

test('a wrong type or a missing required field names the field', () => {
  assert.equal(argumentsProblem('setInstructionBreakpoints', { breakpoints: 'x' }), 'setInstructionBreakpoints: breakpoints must be an array');
  assert.equal(argumentsProblem('setExceptionBreakpoints', { filters: 7 }), 'setExceptionBreakpoints: filters must be an array');
  assert.equal(argumentsProblem('setExceptionBreakpoints', { filters: ['panic', 3] }), 'setExceptionBreakpoints: filters[1] must be a string');
  assert.equal(argumentsProblem('evaluate', { expression: 12 }), 'evaluate: expression must be a string');
  assert.equal(argumentsProblem('readMemory', { memoryReference: '0x10' }), 'readMemory: count is required');
  assert.equal(argumentsProblem('setBreakpoints', { source: {}, breakpoints: [{ line: '3' }] }), 'setBreakpoints: breakpoints[0].line must be a number');
  assert.equal(argumentsProblem('setBreakpoints', { source: {}, breakpoints: [null] }), 'setBreakpoints: breakpoints[0] must be an object');
  assert.equal(argumentsProblem('setBreakpoints', { source: { path: 7 } }), 'setBreakpoints: source.path must be a string');
  assert.equal(argumentsProblem('scopes', { frameId: Number.NaN }), 'scopes: frameId must be a number');
  assert.equal(argumentsProblem('stackTrace', null), 'the arguments of "stackTrace" must be an object');
  assert.equal(argumentsProblem('variables', [1]), 'the arguments of "variables" must be an object');
});
