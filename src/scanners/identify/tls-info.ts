// Certificate facts from a peer certificate: pure, so expired and self-signed logic is tested without a server.
import { X509Certificate } from 'node:crypto';
import type { TlsInfo } from '../../schemas/types.gen.ts';
import { cleanField } from '../escape.ts';

function oneLine(dn: string): string | null {
  return cleanField(dn.split('\n').filter(Boolean).join(', '), 512);
}

export function isSelfSigned(cert: X509Certificate): boolean {
  // Same subject and issuer is not enough (a CA can issue a leaf with its own name); the signature must verify
  // with the certificate's own key.
  try {
    return cert.checkIssued(cert) && cert.verify(cert.publicKey);
  } catch {
    return false;
  }
}

export function tlsInfoOf(cert: X509Certificate, protocols: readonly string[]): TlsInfo {
  const sans = (cert.subjectAltName ?? '')
    .split(/,\s*/)
    .map((s) => cleanField(s, 256))
    .filter((s): s is string => s !== null)
    .slice(0, 100);
  return {
    subject: oneLine(cert.subject),
    issuer: oneLine(cert.issuer),
    subjectAltNames: sans,
    notBefore: Date.parse(cert.validFrom) || null,
    notAfter: Date.parse(cert.validTo) || null,
    selfSigned: isSelfSigned(cert),
    protocols: [...protocols],
    fingerprintSha256: cert.fingerprint256.replace(/:/g, '').toLowerCase(),
  };
}

export const OLD_PROTOCOLS: readonly string[] = ['SSLv3', 'TLSv1', 'TLSv1.1'];

export function isExpired(tls: TlsInfo, now: number): boolean {
  return tls.notAfter !== null && tls.notAfter < now;
}

export function isNotYetValid(tls: TlsInfo, now: number): boolean {
  return tls.notBefore !== null && tls.notBefore > now;
}
