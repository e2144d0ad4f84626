import { describe, expect, it } from 'vitest';
import { passwordProblem } from './password-rules.js';

describe('a new password typed twice', () => {
  it('is refused by the server’s own rule, saying how long it was but never what it was', () => {
    expect(passwordProblem({ password: 'short', repeated: 'short' })).toBe('A password needs at least 8 characters (this one has 5).');
    expect(passwordProblem({ password: 'x'.repeat(201), repeated: 'x'.repeat(201) })).toBe('A password may have at most 200 characters (this one has 201).');
  });

  it('must be typed the same twice', () => {
    expect(passwordProblem({ password: 'olga-password', repeated: 'olga-pasword' })).toBe('The two passwords differ: type the same new password in both fields.');
    expect(passwordProblem({ password: 'olga-password', repeated: '' })).toMatch(/differ/);
  });

  it('passes when it follows the rule and both match', () => {
    expect(passwordProblem({ password: 'olga-password', repeated: 'olga-password' })).toBeNull();
  });
});
