import { describe, expect, it } from 'vitest';
import { securityHeaders } from './security-headers.js';

describe('securityHeaders', () => {
  it('computes helmet’s headers once, with our CSP and HSTS only when asked', () => {
    const csp = { useDefaults: false, directives: { defaultSrc: ["'self'"], frameAncestors: ["'none'"] } };
    const plain = securityHeaders({ contentSecurityPolicy: csp, hsts: false });
    expect(plain['content-security-policy']).toBe("default-src 'self';frame-ancestors 'none'");
    expect(plain['x-content-type-options']).toBe('nosniff');
    expect(plain['x-frame-options']).toBe('SAMEORIGIN');
    expect(plain['strict-transport-security']).toBeUndefined();
    expect(plain['x-powered-by']).toBeUndefined();
    const secure = securityHeaders({ contentSecurityPolicy: csp, hsts: true });
    expect(secure['strict-transport-security']).toMatch(/^max-age=\d+; includeSubDomains$/);
  });

  it('refuses a configuration helmet refuses', () => {
    expect(() =>
      securityHeaders({ contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'self'"], 'bad;name': ['x'] } } }),
    ).toThrow(/invalid directive name/);
  });
});
