// TLS: one handshake to read the certificate, then one handshake per protocol version (in parallel) to learn which
// the server accepts (old versions need OpenSSL security level 0 on our side, or we would refuse them ourselves).
import type { TLSSocket, SecureVersion } from 'node:tls';
import type { TlsInfo } from '../../schemas/types.gen.ts';
import type { ProbeTarget } from './identified.ts';
import { tlsInfoOf } from './tls-info.ts';

const VERSIONS: readonly SecureVersion[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

async function accepts(t: ProbeTarget, version: SecureVersion): Promise<boolean> {
  try {
    const socket = await t.io.connect({
      address: t.address,
      port: t.port,
      timeoutMs: t.timeoutMs,
      signal: t.signal,
      tls: {
        servername: t.hostname ?? undefined,
        minVersion: version,
        maxVersion: version,
        ciphers: 'DEFAULT:@SECLEVEL=0',
      },
    });
    socket.destroy();
    return true;
  } catch {
    return false;
  }
}

/** The certificate and accepted versions, or null when the port does not complete a TLS handshake. */
export async function probeTls(t: ProbeTarget): Promise<TlsInfo | null> {
  let socket: TLSSocket;
  try {
    socket = (await t.io.connect({
      address: t.address,
      port: t.port,
      timeoutMs: t.timeoutMs,
      signal: t.signal,
      tls: { servername: t.hostname ?? undefined },
    })) as TLSSocket;
  } catch {
    return null;
  }
  const cert = socket.getPeerX509Certificate();
  socket.destroy();
  if (!cert) return null;
  // One handshake per version, side by side: a slow server costs one handshake time, not four.
  const accepted = await Promise.all(VERSIONS.map((version) => accepts(t, version)));
  return tlsInfoOf(
    cert,
    VERSIONS.filter((_v, i) => accepted[i]),
  );
}
