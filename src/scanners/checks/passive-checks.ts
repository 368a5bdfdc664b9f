// Checks decided from what identification already observed (no extra traffic). Pure.
import type { ServiceResult } from '../scanner.ts';
import { isExpired, OLD_PROTOCOLS } from '../identify/tls-info.ts';
import type { CheckId } from './catalog.ts';
import type { Check, CheckRun } from './check.ts';
import { makeCheck } from './make-check.ts';

export interface CheckOutcome {
  readonly checks: Check[];
  readonly runs: CheckRun[];
}

const SECURITY_HEADERS = ['content-security-policy', 'x-content-type-options', 'x-frame-options'] as const;

export function missingSecurityHeaders(headers: Readonly<Record<string, string>>, https: boolean): string[] {
  const missing: string[] = SECURITY_HEADERS.filter((h) => headers[h] === undefined);
  // CSP frame-ancestors does the job of X-Frame-Options.
  if (missing.includes('x-frame-options') && /frame-ancestors/i.test(headers['content-security-policy'] ?? ''))
    missing.splice(missing.indexOf('x-frame-options'), 1);
  if (https && headers['strict-transport-security'] === undefined) missing.push('strict-transport-security');
  return missing;
}

export function disclosesVersion(headers: Readonly<Record<string, string>>): string | null {
  for (const name of ['server', 'x-powered-by']) {
    const value = headers[name];
    if (value && /\d+\.\d+/.test(value)) return `${name}: ${value}`;
  }
  return null;
}

export function passiveChecks(service: ServiceResult, now: number): CheckOutcome {
  const checks: Check[] = [];
  const runs: CheckRun[] = [];
  const record = (id: CheckId, failed: string | null, url: string | null = null) => {
    runs.push({ id, host: service.host, port: service.port, outcome: failed === null ? 'pass' : 'fail', reason: null });
    if (failed !== null) checks.push(makeCheck(id, service, failed, url));
  };
  const a = service.attributes;
  if (service.service === 'redis' && a.auth)
    record('redis-unauthenticated', a.auth === 'none' ? 'PING answered +PONG and INFO answered without AUTH' : null);
  if (service.service === 'mqtt' && a.auth)
    record(
      'mqtt-unauthenticated',
      a.auth === 'none' ? 'CONNECT without credentials answered CONNACK 0 (accepted)' : null,
    );
  if (service.service === 'postgresql' && a.auth)
    record(
      'postgres-no-password',
      a.auth === 'none' ? 'startup as user postgres without a password answered AuthenticationOk' : null,
    );
  if (service.tls) {
    const tls = service.tls;
    record(
      'tls-certificate-expired',
      isExpired(tls, now)
        ? `notAfter ${new Date(tls.notAfter ?? 0).toISOString()} is in the past (subject ${tls.subject ?? '?'})`
        : null,
    );
    record(
      'tls-certificate-self-signed',
      tls.selfSigned
        ? `subject and issuer are both ${tls.subject ?? '?'} and the signature verifies with the certificate's own key`
        : null,
    );
    const old = tls.protocols.filter((p) => OLD_PROTOCOLS.includes(p));
    record('tls-old-protocol', old.length > 0 ? `handshake completed with ${old.join(', ')}` : null);
  }
  if (service.http) {
    const http = service.http;
    const missing = missingSecurityHeaders(http.headers, service.service === 'https');
    record(
      'http-missing-security-headers',
      missing.length > 0 ? `GET ${http.url} (${http.status}) lacks: ${missing.join(', ')}` : null,
      http.url,
    );
    const disclosed = disclosesVersion(http.headers);
    record('http-server-version-disclosure', disclosed, http.url);
  }
  return { checks, runs };
}
